"""`publish check`: what `publish email` would refuse to draft (checks.refuse_unsendable),
found before a newsletter run: no From: address, no unsubscribe link for the mailing
tool, or a template of the writer's own that never prints the unsubscribe link."""

from __future__ import annotations

import jinja2
from jinja2 import meta

from publisher.config import Config
from publisher.newsletter.checks import newsletter_configured
from publisher.newsletter.plan import email_series
from publisher.newsletter.profiles import profile
from publisher.newsletter.templating import environment
from publisher.output import shown
from publisher.problems import Problem, PublisherError, error
from publisher.series import series_settings
from publisher.site.load import Site

PARTS = (("email/issue.html", "HTML"), ("email/issue.txt", "text"))
MAX_REFERENCED = 50  # templates followed through include/extends/import from one


def _listed(names: list[str]) -> str:
    shown_names = ", ".join(f'"{n}"' for n in names[:5])
    return shown_names + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def _sources(env: jinja2.Environment, name: str) -> list[str]:
    """The source of template `name` and of every template it includes, extends or imports."""
    found: list[str] = []
    todo, seen = [name], set()
    while todo and len(seen) < MAX_REFERENCED:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            source = env.loader.get_source(env, current)[0]  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            continue
        found.append(source)
        todo.extend(t for t in meta.find_referenced_templates(env.parse(source)) if t)
    return found


def template_problems(config: Config) -> list[Problem]:
    """The writer's own issue templates: each must print the unsubscribe link."""
    env = environment(config.templates_dir)
    found = []
    for name, part in PARTS:
        path = config.templates_dir.joinpath(*name.split("/"))
        if not path.exists() and not path.is_symlink():
            continue  # publisher's own, which prints it
        where = shown(path)
        try:
            sources = _sources(env, name)
        except PublisherError as exc:  # not a regular file, not UTF-8
            found.append(error(where, None, "template", str(exc).removeprefix(f"{path}: ")))
            continue
        except jinja2.TemplateSyntaxError as exc:
            found.append(error(where, exc.lineno, "template", f"{exc.message}; publish email "
                               "cannot render it"))
            continue
        if not any("unsubscribe_url" in source for source in sources):
            found.append(error(where, None, "unsubscribe_url", "this template never prints "
                               f"{{{{ unsubscribe_url }}}}, so publish email refuses every "
                               f"issue (its {part} part would have no unsubscribe link); put "
                               "{{ unsubscribe_url }} in its footer"))
    return found


def sending_problems(site: Site, source: str) -> list[Problem]:
    """Errors for what would stop `publish email`, naming the key to set; none when the
    site sends no newsletter, or no post is in a series it announces."""
    config = site.config
    if not newsletter_configured(config):
        return []
    names = sorted({n for post in site.posts for n in email_series(post, config)}
                   | set(config.series))
    if not names:
        return []
    found = []
    senders = [n for n in names if not series_settings(config, n).sender]
    if senders:
        found.append(error(source, None, "email.from", f"no From: address for the series "
                           f"{_listed(senders)}: publish email refuses to draft their issues; "
                           "set email.from (or the [author] email, or from in the "
                           "series' table)"))
    silent = [n for n in names
              if not profile(series_settings(config, n).profile, config.email).unsubscribe.strip()]
    if silent:
        found.append(error(source, None, "email.unsubscribe_url", "no unsubscribe link for the "
                           f"series {_listed(silent)} (smtp profile): publish email refuses "
                           "to draft their issues; set email.unsubscribe_url or "
                           "email.unsubscribe_mailto, or email.profile to your mailing "
                           "tool's (mailchimp, buttondown, listmonk, kit)"))
    return found + template_problems(config)
