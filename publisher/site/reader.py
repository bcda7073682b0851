"""One file -> one Post: title, dates, slug, URL, tags, series, image, drafts.

`read_post` never raises for bad input: it returns the problems it found, every one
of them, with the file, line and field.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import quote

from publisher.config import Config
from publisher.dates import name_date
from publisher.dialects import Place, dialect_for
from publisher.problems import Problem
from publisher.site.fields import Fields
from publisher.site.matter import read_matter, show
from publisher.site.meta import read_meta
from publisher.site.post import Author, Post, clean_text, one_line
from publisher.urls import absolute, has_scheme, inside_site, site_url, slugify


def _authors(reader: Fields, config: Config) -> tuple[Author, ...]:
    value = reader.get("author") or reader.get("authors")
    items = value if isinstance(value, list) else [value] if value else []
    authors: list[Author] = []
    for item in items:
        if isinstance(item, str) and item.strip():
            authors.append(Author(one_line(item)))
        elif isinstance(item, Mapping) and isinstance(item.get("name"), str):
            email = _address(reader, "author.email", str(item.get("email") or ""))
            uri = _address(reader, "author.uri", str(item.get("uri") or item.get("url") or ""))
            authors.append(Author(one_line(item["name"]), email, uri))
        else:
            reader.warn("author", f"ignored {show(item)}: give a name or {{name, email}}")
    if not authors and config.author.name:
        authors.append(Author(config.author.name, config.author.email, config.author.uri))
    return tuple(authors)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _address(reader: Fields, key: str, value: str) -> str:
    """An id, URL or email as written, or "" with an error when it holds a control
    character: the feeds would refuse it (XML forbids most), so `check` must too."""
    bad = _CONTROL.search(value)
    if bad is None:
        return value
    reader.error(key, f"holds the control character \\x{ord(bad.group()):02x} "
                      f"({show(value)}); remove it")
    return ""


def _substitute_site(value: str, config: Config) -> str:
    # Jekyll themes write '{{ site.baseurl }}/img/x.png' in image fields.
    return re.sub(r"\{\{\s*site\.(baseurl|url)\s*\}\}",
                  lambda m: config.base_path if m.group(1) == "baseurl" else config.base_url,
                  value)


def _image(reader: Fields, config: Config) -> tuple[str | None, str | None]:
    dialect = dialect_for(config)
    for key in dialect.image_keys:
        value = reader.get(key)
        if isinstance(value, Mapping):  # image: {path: ..., feature: ..., thumbnail: ...}
            value = next((value[k] for k in ("path", "feature", "src", "url")
                          if isinstance(value.get(k), str)), None)
        if not isinstance(value, str) or not value.strip():
            continue
        path = _substitute_site(value.strip(), config)
        root = config.base_url + "/"
        if has_scheme(path) or path.startswith(("/", "//")):
            url = absolute(path, root)
        elif "/" not in path:  # a bare file name lives in the image folder
            url = absolute(config.site.image_base.rstrip("/") + "/" + path, root)
        else:
            url = absolute(path, root)
        if _CONTROL.search(path):
            _address(reader, key, path)
            return None, None
        if not url.startswith(("http://", "https://")):  # javascript:, data:, file:...
            reader.warn(key, f"{show(value)} is not a web address; the image is left out")
            continue
        captions = (reader.get(k) for k in dialect.caption_keys)
        caption = next((c for c in captions if isinstance(c, str) and c.strip()), None)
        return url, caption
    return None, None


def _identity(given: str, url: str, generators: str | None, own_ids: bool) -> str:
    """The feed id: an `id:` that is an IRI, whatever the generator (the way to keep an
    old feed's id when moving); else the generator's id, else the URL. A plain `id: 42`
    is a WordPress import's number to Jekyll and Hugo, but names the post to publisher."""
    if given and has_scheme(given):
        return given
    if given and own_ids:
        # Atom ids must be IRIs; an id like "42" becomes one without losing its identity.
        return "urn:publisher:" + quote(given, safe="")
    return generators or url


def _opted_out(reader: Fields, key: str) -> bool:
    """`feed: false`: only a false keeps a post out. Any other value is not ours to judge
    (themes use `email:` for an address), so it is left alone."""
    value = reader.get(key)
    if value is False:
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "no"):
        if reader.matter.kind != "meta":  # Pelican's `Feed: false` lines are all text
            reader.warn(key, f"{value!r} is text; write {key}: false without quotes")
        return True
    return False


def read_post(data: bytes, name: str, source: str, config: Config,
              mtime: float | None = None, digest: str | None = None
              ) -> tuple[Post | None, list[Problem]]:
    """Bytes of one post file -> (Post or None, problems).

    `mtime` dates a draft that has no date yet, as Jekyll does for `_drafts/`.
    """
    dialect = dialect_for(config)
    if dialect.meta_value is not None:  # Pelican's `Key: value` lines
        result = read_meta(data, source, dialect.meta_value)
    else:
        result = read_matter(data, source, blank_lines_first=dialect.blank_lines_first,
                             duplicates_fatal=dialect.duplicate_keys_fatal)
    problems = list(result.problems)
    if result.matter is None:
        return None, problems
    matter = result.matter
    reader = Fields(matter, source, folded=dialect.keys_folded)
    zone = config.zone
    file = dialect.file_facts(name)

    title = reader.get("title")
    if isinstance(title, bool) or not isinstance(title, (str, int, float, type(None))):
        reader.error("title", f"must be text, not {type(title).__name__} {show(title)}; "
                              "put the title in quotes")
        title = None
    elif title is None and dialect.untitled is not None:
        title = dialect.untitled(file.slug)  # as the generator names an untitled post
    elif title is None:
        example = "Title: My post" if matter.kind == "meta" else 'title: "My post"'
        reader.error("title", f"missing; add a line such as {example}")
    elif not one_line(str(title)):
        # Checked after cleaning: a title of control characters only is no title.
        reader.error("title", "is empty; write the post's title between the quotes")
        title = None
    else:
        title = one_line(str(title))

    date = None
    file_date, file_date_error = name_date(file.date, zone)
    date_key = next((k for k in dialect.date_keys if reader.get(k) not in (None, "")), None)
    if date_key:
        date = reader.date(date_key, config)
    elif file_date_error:
        reader.error("date", f"no date field, and {file_date_error}; add date: YYYY-MM-DD "
                             "or rename the file")
    elif file_date:
        date = file_date

    updated = None
    for key in dialect.updated_keys:
        value = reader.get(key)
        if value is not None:
            if value == "":
                continue  # an empty 'modified:' is common and means "not modified"
            updated = reader.date(key, config)
            if updated is not None and date is None and date_key is None \
                    and not file_date_error:
                date = updated
                reader.warn(key, f"no date field and no date in the file name; using {key} "
                                 "as the publication date: add date: to make it explicit")
            break
    in_drafts = file.draft or bool(dialect.drafted and dialect.drafted(reader.get))
    if date is None and in_drafts and mtime is not None and not reader.problems:
        date = datetime.fromtimestamp(mtime, zone).replace(microsecond=0)
    if date is None and dialect.undated is not None and not reader.problems:
        date = dialect.undated
        reader.warn("date", f"missing: {dialect.label.split(' (')[0]} lists the post as the "
                            f"oldest; feeds date it {date:%Y-%m-%d}; add date: YYYY-MM-DD")
    if date is None and not any(p.is_error for p in reader.problems):
        reader.error("date", "missing; add date: YYYY-MM-DD or name the file "
                             "YYYY-MM-DD-slug.md")
    published = reader.flag("published") if dialect.published_key else None
    draft = any(reader.flag(k) for k in dialect.draft_keys) or published is False or in_drafts
    expires = next((reader.date(k, config) for k in dialect.expiry_keys
                    if reader.get(k) not in (None, "")), None)

    slug_value = reader.text("slug")
    slug = slugify(slug_value if slug_value and slug_value.strip() else file.slug)
    if dialect.terms is not None:
        categories, tags = dialect.terms(file, reader.get)
    else:
        categories = file.categories + reader.names("categories", split=True) + tuple(
            c for c in reader.names("category", split=False))
        tags = reader.names("tags", split=True) + reader.names("tag", split=False)
    series = reader.names("series", split=False)

    excerpt = None
    for key in dialect.excerpt_keys:
        value = reader.get(key)
        if value is None:
            continue
        text = reader.text(key)
        if text and text.strip():
            excerpt = clean_text(text.strip())
            break

    image, caption = _image(reader, config)
    authors = _authors(reader, config)
    given_id = _address(reader, "id", (reader.text("id") or "").strip())

    if title is None or date is None or any(p.is_error for p in reader.problems):
        return None, problems + reader.problems
    place = Place(name, file, date.astimezone(zone) if dialect.local_url_dates else date,
                  title, slug_value.strip() if slug_value and slug_value.strip() else None,
                  reader.text(dialect.permalink_key), tuple(dict.fromkeys(categories)),
                  config.permalinks.get(file.section.split("/")[0]) or config.site.permalink
                  or dialect.default_permalink,
                  matter.fields)
    path = dialect.url_path(place)
    url = dialect.post_url(place, path, config.base_url) if dialect.post_url else \
        site_url(config.base_url, path)
    if not inside_site(url, config.base_url):
        reader.error(dialect.permalink_key, f"the post's URL {url} leads outside the site "
                     f"({config.base_url}/); write a path on the site")
        return None, problems + reader.problems
    post = Post(
        source=source, name=name, title=title, date=date,
        id=_identity(given_id, url, dialect.entry_id(place, path, config.base_url),
                     dialect.own_ids),
        updated=max(updated or date, date), slug=slug, url=url, tags=tags,
        categories=tuple(dict.fromkeys(categories)), series=series, authors=authors,
        excerpt=excerpt, image=image, image_caption=caption, draft=draft,
        body=clean_text(matter.body), body_line=matter.body_line,
        fields=dict(matter.fields), digest=digest or hashlib.sha256(data).hexdigest(),
        expires=expires, listed=dialect.listed(reader.get),
        section=file.section.split("/")[0] if dialect.section_feeds else "",
        in_feeds=not _opted_out(reader, "feed"),
        in_newsletter=not (_opted_out(reader, "newsletter") or _opted_out(reader, "email")),
    )
    return post, problems + reader.problems
