"""An issue's folder tells the truth after the fact: issue.json says `sent` or
`discarded` and when, and a discarded draft's message files are removed (its posts
stay new, so a later draft takes its place)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from publisher.output import inside, write_all
from publisher.problems import PublisherError

DRAFT_FILES = ("issue.html", "issue.txt", "issue.eml")


def record_outcome(output: Path, folder: str, status: str, when: datetime) -> None:
    """Mark the manifest in `folder` (under `output`) as `status` at `when`."""
    manifest = inside(output, f"{folder}/issue.json")
    if not manifest.is_file():
        return  # drafted elsewhere (another checkout, CI): the ledger still records it
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PublisherError(f"{manifest}: cannot read the manifest ({exc}); the ledger "
                             "records the issue as " + status) from None
    data["status"] = status
    data[status] = when.isoformat()
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_all(output, {f"{folder}/issue.json": text.encode("utf-8")})
    if status == "discarded":
        for name in DRAFT_FILES:
            inside(output, f"{folder}/{name}").unlink(missing_ok=True)
