"""`--send` against real SMTP servers (aiosmtpd) that misbehave: nothing is sent twice.

The server drops the connection after accepting DATA, answers QUIT with 421, accepts
some recipients and refuses others, closes the connection before answering DATA, or
takes so long to answer that the writer presses Ctrl-C. Each time the ledger says what
happened, and the next `--send` sends nothing again to anyone who got it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

from . import test_email_smtp as smtp_tests
from .conftest import NOW, SiteDir
from .test_email_smtp import (
    Inbox,
    _env_with_package,
    configure,
    ledger,
    run_cli,
    statuses,
    two_posts,
)

# The SMTP tests' fixtures: a real server per test, and no SMTP login from the shell.
smtp_server = smtp_tests.smtp_server
clean_env = smtp_tests._clean_env


class DropAfterData(Inbox):
    """Accepts the message, then closes the connection: the client's QUIT fails."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        reply = await super().handle_DATA(server, session, envelope)
        asyncio.get_running_loop().call_soon(server.transport.close)
        return reply


class RefuseQuit(Inbox):
    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        return "421 4.3.2 Service shutting down"


class DropBeforeAnswer(Inbox):
    """Reads the whole message, then closes the connection without answering."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await super().handle_DATA(server, session, envelope)
        server.transport.abort()
        return "250 OK"


class PartialRecipients(Inbox):
    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address.startswith("full"):
            return "552 5.2.2 Mailbox full"
        envelope.rcpt_tos.append(address)
        return "250 OK"


class SlowAnswer(Inbox):
    """Keeps the client waiting for the answer to DATA."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await super().handle_DATA(server, session, envelope)
        self.waiting.set()
        await asyncio.sleep(20)
        return "250 Message accepted"


LIST = 'to = "list@example.org"'


def test_a_connection_dropped_after_data_is_sent_once(site: SiteDir, publish,
                                                      smtp_server) -> None:
    server = smtp_server(DropAfterData())
    configure(site, server.port)
    two_posts(site)
    result = publish(site.root, "email", "--now", NOW, "--send")
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == "Notes #1: sent to list@example.org and recorded " \
                                          "as sent"
    assert statuses(site, publish) == [("Notes", 1, "sent")]
    assert ledger(site, publish)[0]["recipients"] == [
        {"address": "list@example.org", "accepted": True, "reply": "250 OK"}]
    again = publish(site.root, "email", "--now", NOW, "--send")
    assert again.code == 0 and again.out == "no new posts: nothing to draft\n"
    assert len(server.received) == 1


def test_quit_answered_with_421_is_no_failure(site: SiteDir, publish, smtp_server) -> None:
    server = smtp_server(RefuseQuit())
    configure(site, server.port)
    two_posts(site)
    result = publish(site.root, "email", "--now", NOW, "--send")
    assert result.code == 0, result.err
    assert statuses(site, publish) == [("Notes", 1, "sent")]
    publish(site.root, "email", "--now", NOW, "--send")
    assert len(server.received) == 1


def test_partly_refused_recipients_are_recorded_and_never_resent(site: SiteDir, publish,
                                                                 smtp_server) -> None:
    server = smtp_server(PartialRecipients())
    configure(site, server.port)
    site.config((site.root / "publisher.toml").read_text().replace(
        LIST, 'to = "a@example.org, full@example.org, b@example.org"'), base="")
    two_posts(site)
    result = publish(site.root, "email", "--now", NOW, "--send")
    assert result.code == 1
    assert "Notes #1: sent to a@example.org, b@example.org and recorded as sent" in result.out
    assert "error: Notes #1: full@example.org refused it (552 5.2.2 Mailbox full); it was " \
           "sent to the others only and is not sent again to anyone" in result.err
    assert server.received[0].rcpt_tos == ["a@example.org", "b@example.org"]
    assert ledger(site, publish)[0]["recipients"] == [
        {"address": "a@example.org", "accepted": True, "reply": "250 OK"},
        {"address": "b@example.org", "accepted": True, "reply": "250 OK"},
        {"address": "full@example.org", "accepted": False,
         "reply": "552 5.2.2 Mailbox full"}]
    listed = publish(site.root, "ledger").out
    assert "    to full@example.org: refused (552 5.2.2 Mailbox full)" in listed
    publish(site.root, "email", "--now", NOW, "--send")
    assert len(server.received) == 1


def test_no_answer_to_data_leaves_it_sending_and_stops_a_resend(site: SiteDir, publish,
                                                                smtp_server) -> None:
    server = smtp_server(DropBeforeAnswer())
    configure(site, server.port)
    two_posts(site)
    result = publish(site.root, "email", "--now", NOW, "--send")
    assert result.code == 1
    assert result.err.startswith(f"error: 127.0.0.1:{server.port}: the message was sent but "
                                 "the server's answer never came (the connection was closed), "
                                 "so it may have been delivered. Issue #1 of Notes stays "
                                 "'sending'")
    assert statuses(site, publish) == [("Notes", 1, "sending")]
    again = publish(site.root, "email", "--now", NOW, "--send")
    assert again.code == 1 and "was being sent when a run stopped" in again.err
    assert len(server.received) == 1
    assert publish(site.root, "email", "--mark-sent", "Notes", "--now", NOW).code == 0
    assert statuses(site, publish) == [("Notes", 1, "sent")]


def _sigint_default() -> None:
    """Ctrl-C must reach the child: a shell runs background jobs (a CI step, `cmd &`) with
    SIGINT ignored, and a child inherits that, so Python would never see the signal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_while_waiting_for_the_answer_never_resends(site: SiteDir, publish,
                                                           smtp_server) -> None:
    handler = SlowAnswer()
    server = smtp_server(handler)
    configure(site, server.port)
    two_posts(site)
    proc = subprocess.Popen([sys.executable, "-m", "publisher.cli", "email", "--now", NOW,
                             "--send"], cwd=site.root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=_env_with_package(),
                            preexec_fn=_sigint_default)
    assert handler.waiting.wait(timeout=20)
    proc.send_signal(signal.SIGINT)
    started = time.monotonic()
    out, err = proc.communicate(timeout=10)
    assert time.monotonic() - started < 5  # no QUIT waited for
    assert proc.returncode == 1, err
    assert "the server's answer never came (interrupted), so it may have been delivered" in err
    assert "250 Message accepted" not in err and "Traceback" not in err
    assert statuses(site, publish) == [("Notes", 1, "sending")]
    again = run_cli(site.root, "email", "--now", NOW, "--send")
    assert again.returncode == 1 and "was being sent when a run stopped" in again.stderr
    assert len(server.received) == 1


def test_ctrl_c_before_the_message_left_keeps_it_a_draft(site: SiteDir, publish) -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()  # accepts the connection, never greets: the client waits
    configure(site, listener.getsockname()[1])
    two_posts(site)
    proc = subprocess.Popen([sys.executable, "-m", "publisher.cli", "email", "--now", NOW,
                             "--send"], cwd=site.root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=_env_with_package(),
                            preexec_fn=_sigint_default)
    connection, _ = listener.accept()
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGINT)
    proc.communicate(timeout=10)
    connection.close()
    listener.close()
    assert proc.returncode == 130
    assert statuses(site, publish) == [("Notes", 1, "draft")]
