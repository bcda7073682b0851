"""`publish check` says what `publish email` would refuse (issue 14, point 8's rule for
the newsletter): no From:, no unsubscribe link for the mailing tool, a template of the
writer's own that never prints the link. Each is an error naming the key or the file,
and `publish email` refuses the same site."""

from __future__ import annotations

import os

import pytest

from .conftest import BASE_CONFIG, NOW, SiteDir

SERIES_POST = "---\ntitle: A\ndate: 2024-01-01\nseries: Notes\n---\nText.\n"
ADDRESS = 'address = "1 Rue Exemple, 75001 Paris, France"\n'


def problems(result) -> list[str]:
    return result.out.splitlines()[:-1]


def test_no_from_and_no_unsubscribe_link_are_errors_in_check(site: SiteDir, publish) -> None:
    config = BASE_CONFIG.replace('email = "ada@example.org"\n', "")  # no From: to fall back on
    (site.root / "publisher.toml").write_text(config + '\n[email]\nto = "list@example.org"\n'
                                              + ADDRESS)
    site.post("2024-01-01-a.md", SERIES_POST)
    checked = publish(site.root, "check")
    assert checked.code == 1
    assert problems(checked) == [
        'publisher.toml: email.from: no From: address for the series "Notes": publish email '
        "refuses to draft their issues; set email.from (or the [author] email, or from in "
        "the series' table)",
        'publisher.toml: email.unsubscribe_url: no unsubscribe link for the series "Notes" '
        "(smtp profile): publish email refuses to draft their issues; set "
        "email.unsubscribe_url or email.unsubscribe_mailto, or email.profile to your "
        "mailing tool's (mailchimp, buttondown, listmonk, kit)",
    ]
    refused = publish(site.root, "email", "--now", NOW)
    assert refused.code == 1 and "not drafted: no From: address" in refused.err


def test_a_mailing_tools_profile_has_its_own_link(site: SiteDir, publish) -> None:
    (site.root / "publisher.toml").write_text(
        BASE_CONFIG + '\n[email]\nto = "list@example.org"\nfrom = "A <a@example.org>"\n'
        'profile = "buttondown"\n' + ADDRESS)
    site.post("2024-01-01-a.md", SERIES_POST)
    checked = publish(site.root, "check")
    assert (checked.code, problems(checked)) == (0, [])
    assert publish(site.root, "email", "--now", NOW).code == 0


@pytest.mark.parametrize("name,part", [("issue.html", "HTML"), ("issue.txt", "text")])
def test_a_template_without_the_unsubscribe_link_is_an_error(site: SiteDir, publish,
                                                              name: str, part: str) -> None:
    (site.root / "publisher.toml").write_text(
        BASE_CONFIG + '\n[email]\nto = "list@example.org"\nfrom = "A <a@example.org>"\n'
        'unsubscribe_url = "https://example.org/u"\n' + ADDRESS)
    site.post("2024-01-01-a.md", SERIES_POST)
    folder = site.root / "templates" / "email"
    folder.mkdir(parents=True)
    (folder / name).write_text("{{ subject }}\n")
    checked = publish(site.root, "check")
    assert checked.code == 1
    assert problems(checked) == [
        f"templates/email/{name}: unsubscribe_url: this template never prints "
        f"{{{{ unsubscribe_url }}}}, so publish email refuses every issue (its {part} part "
        "would have no unsubscribe link); put {{ unsubscribe_url }} in its footer"]
    refused = publish(site.root, "email", "--now", NOW)
    assert refused.code == 1 and f"missing from the {part} part" in refused.err
    # Printed by a template it includes: fine for both.
    (folder / name).write_text('{{ subject }}\n{% include "email/footer.txt" %}\n')
    (folder / "footer.txt").write_text("{{ unsubscribe_url }}\n")
    assert publish(site.root, "check").code == 0
    assert publish(site.root, "email", "--now", NOW).code == 0


def test_a_broken_or_unreadable_template_is_named_with_its_line(site: SiteDir, publish) -> None:
    (site.root / "publisher.toml").write_text(
        BASE_CONFIG + '\n[email]\nto = "list@example.org"\nfrom = "A <a@example.org>"\n'
        'unsubscribe_url = "https://example.org/u"\n' + ADDRESS)
    site.post("2024-01-01-a.md", SERIES_POST)
    folder = site.root / "templates" / "email"
    folder.mkdir(parents=True)
    (folder / "issue.html").write_text("<p>\n{% if %}\n")
    assert problems(publish(site.root, "check")) == [
        "templates/email/issue.html:2: template: Expected an expression, got 'end of "
        "statement block'; publish email cannot render it"]
    (folder / "issue.html").unlink()
    os.mkfifo(folder / "issue.html")  # never read: check must not block
    assert problems(publish(site.root, "check")) == [
        "templates/email/issue.html: template: is a FIFO (named pipe), not a regular file: "
        "a template must be a regular file; put the template there, or remove it to use "
        "publisher's own"]


def test_a_blog_without_a_newsletter_gets_no_newsletter_errors(site: SiteDir, publish) -> None:
    site.post("2024-01-01-a.md", SERIES_POST)  # a series, but no [email] settings at all
    checked = publish(site.root, "check")
    assert (checked.code, problems(checked)) == (0, [])
