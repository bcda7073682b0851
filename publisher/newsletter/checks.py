"""What stops an issue from being drafted, and what a careful sender wants to hear.

A draft with no From or no way to unsubscribe is refused, not warned about: mailing
tools bounce it, and a writer who sends it anyway loses trust (and breaks the law in
many places). Size, alt text and the subject's length are warnings: the draft is fine
to send, just less good.
"""

from __future__ import annotations

from publisher.config import Config
from publisher.newsletter.plan import IssuePlan
from publisher.newsletter.profiles import Profile
from publisher.problems import Problem, PublisherError, error, warning

GMAIL_CLIP_BYTES = 102 * 1024
SUBJECT_MAX = 78


def _name(plan: IssuePlan) -> str:
    return f"{plan.key} #{plan.number}" if plan.key else f"digest #{plan.number}"


def refuse_unsendable(plan: IssuePlan, profile: Profile, markup: str, text: str) -> None:
    """Raise when the issue must not go out as it is; nothing is written then."""
    where = f"{_name(plan)}: not drafted"
    if not plan.settings.sender:
        raise PublisherError(f"{where}: no From: address; set email.from (or the [author] "
                             "email) in publisher.toml")
    if not profile.unsubscribe.strip():
        raise PublisherError(f"{where}: the unsubscribe link would be empty; set "
                             "email.unsubscribe_url or email.unsubscribe_mailto (smtp "
                             "profile), or the profile of your mailing tool")
    missing = [part for part, body in (("HTML", markup), ("text", text))
               if profile.unsubscribe not in body]
    if missing:
        raise PublisherError(f"{where}: the unsubscribe link {profile.unsubscribe} is missing "
                             f"from the {' and '.join(missing)} part; put "
                             "{{ unsubscribe_url }} in your email template")


def warnings_before_sending(title: str, markup: str, full: bool, posts: int) -> list[str]:
    found = []
    size = len(markup.encode("utf-8"))  # what Gmail counts: the HTML once CSS is inlined
    if size > GMAIL_CLIP_BYTES:
        advice = ("send excerpts (full_content = false) or fewer posts" if full else
                  f"even with excerpts, {posts} posts are too many for one issue: send "
                  "issues more often, or record the older posts as announced with "
                  "'publish email --since DATE'")
        found.append(f"the HTML is {size // 1024} KB: Gmail clips messages over 102 KB "
                     f"and hides the rest behind a link; {advice}")
    if not title:
        found.append("the subject is empty; set email.subject")
    elif len(title) > SUBJECT_MAX:
        found.append(f"the subject is {len(title)} characters; over {SUBJECT_MAX} it is cut "
                     "in most inboxes")
    return found


def profiles_used(config: Config) -> set[str]:
    return {config.email.profile} | {s.profile for s in config.series.values() if s.profile}


def newsletter_configured(config: Config) -> bool:
    """Whether the site sends a newsletter at all: a list address, a mailing tool, a
    series table or a series fallback. A blog with series and none of these has none."""
    return bool(config.series or profiles_used(config) - {"smtp"}
                or config.email.series_fallback != "none" or config.email.to)


def address_problems(config: Config, source: str) -> list[Problem]:
    """`publish check`: a footer needs the sender's postal address (CAN-SPAM; Mailchimp
    refuses a campaign without one, so there it is an error)."""
    if config.email.address.strip() or not newsletter_configured(config):
        return []
    used = profiles_used(config)
    found = []
    if "mailchimp" in used:
        found.append(error(source, None, "email.address", "required with the mailchimp "
                           "profile: your postal address for the footer of every issue "
                           "(Mailchimp refuses a campaign without one), e.g. address = "
                           "\"Plain Words, 1 Rue Exemple, 75001 Paris, France\""))
    if used - {"mailchimp"}:
        found.append(warning(source, None, "email.address", "no postal address in the footer "
                             "of your issues; CAN-SPAM and most mailing tools want one: set "
                             "email.address"))
    return found
