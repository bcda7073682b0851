"""WebSub: tell the hub which feeds changed, so subscribers get new posts in seconds.

The hub fetches each topic itself; publishing is a form POST of `hub.mode=publish` and
`hub.url`, one per feed (the form most hubs accept). Only feeds whose bytes changed are
announced: a hub that hears about an unchanged feed fetches it for nothing. A hub that is
down or refuses never fails the build: the feeds are written either way, and the next
change announces them again.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass

TIMEOUT = 10.0  # seconds per request: a hub that hangs must not hang the build


@dataclass(frozen=True)
class Ping:
    topic: str  # the feed's public URL
    error: str = ""  # why the hub did not take it; "" when it did

    @property
    def ok(self) -> bool:
        return not self.error


def ping(hub: str, topics: Iterable[str], timeout: float = TIMEOUT) -> list[Ping]:
    """POST `hub.mode=publish` for each topic; one result per topic, never an exception."""
    results = []
    for topic in topics:
        body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": topic}).encode()
        request = urllib.request.Request(
            hub, data=body, method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "User-Agent": "publisher (WebSub publish)"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as reply:
                reply.read(65536)
                status = reply.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            results.append(Ping(topic, f"no answer from the hub ({reason})"))
            continue
        # WebSub hubs answer 2xx (202 Accepted, 204 No Content) when they take it.
        results.append(Ping(topic, "" if 200 <= status < 300 else f"the hub answered "
                                                                  f"HTTP {status}"))
    return results
