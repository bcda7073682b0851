"""`publish ledger`: what was announced, when, in which issue."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from publisher.config import load_config
from publisher.console import Console


def cmd_ledger(args: argparse.Namespace, console: Console) -> int:
    from publisher.newsletter.ledger import Ledger

    config = load_config(args.config)
    with Ledger.open(config.ledger_path, create=False) as ledger:
        issues = ledger.issues(args.series)
        recipients = {i.id: ledger.recipients(i) for i in issues}
    if args.format == "json":
        console.json([{
            "series": i.series or None, "number": i.number, "status": i.status,
            "subject": i.subject, "created": i.created.isoformat(),
            "sent": i.sent.isoformat() if i.sent else None,
            "posts": [{"series": e.series, "id": e.post_id, "url": e.url, "title": e.title}
                      for e in i.entries],
            "recipients": [{"address": r.address, "accepted": r.accepted, "reply": r.reply}
                           for r in recipients[i.id]]} for i in issues])
        return 0
    for issue in issues:
        if issue.status == "baseline":
            line = f"recorded as announced {issue.sent:%Y-%m-%d %H:%M} UTC (baseline)"
        elif issue.sent:
            line = f"#{issue.number} sent {issue.sent:%Y-%m-%d %H:%M} UTC: {issue.subject}"
        else:
            line = (f"#{issue.number} {issue.status}, created {issue.created:%Y-%m-%d %H:%M} "
                    f"UTC: {issue.subject}")
        console.out(f"{issue.series or 'digest'} {line}")
        for entry in issue.entries:
            console.out(f"    {entry.title} <{entry.url}>")
        for recipient in recipients[issue.id]:
            answer = "accepted" if recipient.accepted else "refused"
            console.out(f"    to {recipient.address}: {answer} ({recipient.reply})")
    if not issues:
        console.out("the ledger is empty: no issue drafted or sent yet")
    return 0


def add_command(commands: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Add `ledger` to the CLI's subparsers (`parents`: the options every command shares)."""
    ledger = commands.add_parser(
        "ledger", parents=list(parents), help="show what was announced, when, in which issue",
        description="List every issue in the ledger with its status and the posts it "
        "announces.")
    ledger.add_argument("--series", metavar="NAME", help="only this series")
    ledger.add_argument("--format", choices=("text", "json"), default="text",
                        help="output format (default: text)")
    ledger.set_defaults(run=cmd_ledger)
