"""`publish email --send` and `--test-to` against a real SMTP server (aiosmtpd).

Each test starts its own server on 127.0.0.1 with a port the OS picks, with a handler
that keeps what it receives or one that refuses. TLS is off (`security = "none"`).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from .conftest import NOW, ROOT, SiteDir

LATER = "2026-02-01T00:00:00Z"
PASSWORD_ENV = "PUBLISHER_TEST_SMTP_PASSWORD"
PASSWORD = "s3cret-Pa55word"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    @property
    def message(self) -> EmailMessage:
        msg = message_from_bytes(self.content, policy=default)
        assert isinstance(msg, EmailMessage)
        return msg

    @property
    def raw_headers(self) -> bytes:
        return self.content.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]


@dataclass
class Inbox:
    """Accepts every message and keeps it."""

    received: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                      bytes(envelope.original_content or envelope.content)))
        return "250 OK"


class RefuseData(Inbox):
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return "550 5.7.1 rejected"


class RefuseRcpt(Inbox):
    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        return "550 5.7.1 rejected"


@dataclass
class Authenticator:
    """Accepts one login and password; remembers every attempt."""

    login: str
    password: str
    attempts: list[tuple[str, str, str]] = field(default_factory=list)

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str,
                 auth_data: Any) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        self.attempts.append((mechanism, login, password))
        return AuthResult(success=(login, password) == (self.login, self.password),
                          handled=False)


class _Controller(Controller):
    """A Controller that takes port 0: aiosmtpd 1.4 connects to `self.port` to check
    that the server is up, so the port the OS picked is read back before that."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@dataclass
class Server:
    handler: Inbox
    port: int

    @property
    def received(self) -> list[Received]:
        return self.handler.received


@pytest.fixture
def smtp_server() -> Iterator[Callable[..., Server]]:
    """Start an SMTP server on 127.0.0.1:<free port>; every one is stopped at the end."""
    controllers: list[Controller] = []

    def start(handler: Inbox | None = None, **smtp_kwargs: Any) -> Server:
        handler = Inbox() if handler is None else handler
        controller = _Controller(handler, hostname="127.0.0.1", port=0, ready_timeout=5,
                                 **smtp_kwargs)
        controller.start()
        controllers.append(controller)
        return Server(handler, controller.port)

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # A username in the developer's environment would make every send try to log in.
    monkeypatch.delenv("PUBLISHER_SMTP_USERNAME", raising=False)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)


def configure(site: SiteDir, port: int, smtp_extra: str = "", extra: str = "") -> None:
    site.config(f"""
        [email]
        from = "Ada <ada@example.org>"
        to = "list@example.org"
        unsubscribe_url = "https://example.org/unsubscribe"

        [smtp]
        host = "127.0.0.1"
        port = {port}
        security = "none"
        timeout = 5
        {smtp_extra}
        """ + extra)


def post(site: SiteDir, name: str, title: str, series: str = "Notes") -> None:
    site.post(name, f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
                    f"series: {series}\n---\nThe body of {title}.\n")


def two_posts(site: SiteDir) -> None:
    post(site, "2024-01-01-first.md", "First")
    post(site, "2024-02-01-second.md", "Second")


def ledger(site: SiteDir, publish) -> list[dict[str, Any]]:
    result = publish(site.root, "ledger", "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def statuses(site: SiteDir, publish) -> list[tuple[str | None, int, str]]:
    return [(i["series"], i["number"], i["status"]) for i in ledger(site, publish)]


def free_port() -> int:
    """A port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`publish ARGS` in its own process: the exit code and stderr a user would see."""
    return subprocess.run([sys.executable, "-m", "publisher.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=30,
                          env=_env_with_package())


def _env_with_package() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def body(msg: EmailMessage, kind: str) -> str:
    part = msg.get_body((kind,))
    assert part is not None, f"no text/{kind} part"
    return part.get_content()


def assert_one_line_error(err: str, port: int) -> str:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"error: 127.0.0.1:{port}: "), err
    return lines[0]


# 1. --send


def test_send_delivers_once_and_records_sent(site: SiteDir, publish, smtp_server) -> None:
    server = smtp_server()
    configure(site, server.port)
    two_posts(site)

    result = publish(site.root, "email", "--now", NOW, "--send")
    assert result.code == 0, result.err
    assert "Notes #1: sent to list@example.org and recorded as sent" in result.out

    assert len(server.received) == 1
    got = server.received[0]
    assert got.rcpt_tos == ["list@example.org"]
    assert got.mail_from == "ada@example.org"
    msg = got.message
    assert msg["Subject"] == "Notes #1: Second and 1 more"
    assert msg["From"] == "Ada <ada@example.org>"
    assert msg["To"] == "list@example.org"
    assert msg["Date"] is not None and msg["Date"].datetime is not None
    assert msg["Message-ID"] and msg["Message-ID"].startswith("<")
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert "X-Unsent" not in msg
    assert "<https://example.org/unsubscribe>" in msg["List-Unsubscribe"]
    for kind in ("plain", "html"):
        assert "First" in body(msg, kind) and "Second" in body(msg, kind)

    # The message sent is the draft written to disk, minus its X-Unsent mark.
    (eml,) = site.out.rglob("issue.eml")
    draft = message_from_bytes(eml.read_bytes(), policy=default)
    assert draft["X-Unsent"] == "1"
    assert (draft["Message-ID"], draft["Subject"]) == (msg["Message-ID"], msg["Subject"])

    (issue,) = ledger(site, publish)
    assert (issue["series"], issue["number"], issue["status"]) == ("Notes", 1, "sent")
    assert issue["sent"] is not None
    assert {p["title"] for p in issue["posts"]} == {"First", "Second"}

    # Nothing new: nothing drafted, nothing sent again.
    again = publish(site.root, "email", "--now", NOW)
    assert again.code == 0 and "no new posts: nothing to draft" in again.out
    resend = publish(site.root, "email", "--now", NOW, "--send")
    assert resend.code == 0, resend.err
    assert len(server.received) == 1
    assert statuses(site, publish) == [("Notes", 1, "sent")]

    # A new post: issue #2 with only that post.
    post(site, "2025-01-01-third.md", "Third")
    result = publish(site.root, "email", "--now", LATER, "--send")
    assert result.code == 0, result.err
    assert len(server.received) == 2
    second = server.received[1].message
    assert second["Subject"] == "Notes #2: Third"
    assert second["Message-ID"] != msg["Message-ID"]
    text = body(second, "plain")
    assert "Third" in text and "First" not in text and "Second" not in text
    assert statuses(site, publish) == [("Notes", 1, "sent"), ("Notes", 2, "sent")]


def test_send_a_series_sends_only_that_one(site: SiteDir, publish, smtp_server) -> None:
    server = smtp_server()
    configure(site, server.port)
    post(site, "2024-01-01-a.md", "A note", "Notes")
    post(site, "2024-01-02-b.md", "A link", "Links")

    result = publish(site.root, "email", "--now", NOW, "--send", "Links")
    assert result.code == 0, result.err
    assert [r.message["Subject"] for r in server.received] == ["Links #1: A link"]
    assert sorted(statuses(site, publish)) == [("Links", 1, "sent"), ("Notes", 1, "draft")]
    # A slug names a series as well as its name; a name with no draft is an error.
    result = publish(site.root, "email", "--now", NOW, "--send", "notes")
    assert result.code == 0 and len(server.received) == 2
    result = publish(site.root, "email", "--now", NOW, "--send", "Nope")
    assert result.code == 1 and result.err.startswith("error: series 'Nope' has no open draft")


# 2. --test-to


def test_test_to_sends_a_proof_and_records_nothing(site: SiteDir, publish,
                                                   smtp_server) -> None:
    server = smtp_server()
    configure(site, server.port)
    two_posts(site)

    result = publish(site.root, "email", "--now", NOW, "--test-to", "proof@example.org")
    assert result.code == 0, result.err
    assert "test sent to proof@example.org (nothing recorded)" in result.out
    assert len(server.received) == 1
    got = server.received[0]
    assert got.rcpt_tos == ["proof@example.org"]
    proof = got.message
    assert proof["Subject"] == "[Test] Notes #1: Second and 1 more"
    assert proof["To"] == "proof@example.org"
    assert "X-Unsent" not in proof
    assert statuses(site, publish) == [("Notes", 1, "draft")]

    # The proof changed nothing: the real send still goes out, without the prefix.
    result = publish(site.root, "email", "--now", NOW, "--send")
    assert result.code == 0, result.err
    assert len(server.received) == 2
    real = server.received[1]
    assert real.rcpt_tos == ["list@example.org"]
    assert real.message["Subject"] == "Notes #1: Second and 1 more"
    assert real.message["To"] == "list@example.org"
    assert statuses(site, publish) == [("Notes", 1, "sent")]


# 3. A server that refuses


@pytest.mark.parametrize("refuser", [RefuseData, RefuseRcpt], ids=["DATA", "RCPT"])
def test_refused_send_is_a_clear_error_and_stays_draft(site: SiteDir, publish, smtp_server,
                                                       refuser: type[Inbox]) -> None:
    refusing = smtp_server(refuser())
    configure(site, refusing.port)
    two_posts(site)

    proc = run_cli(site.root, "email", "--now", NOW, "--send")
    assert proc.returncode == 1, proc.stderr
    line = assert_one_line_error(proc.stderr, refusing.port)
    assert "550" in line and "5.7.1 rejected" in line
    assert "sent to" not in proc.stdout
    assert statuses(site, publish) == [("Notes", 1, "draft")]

    # Same server again: refused again, and still a draft (not stuck in 'sending').
    result = publish(site.root, "email", "--now", NOW, "--send")
    assert result.code == 1 and "550 5.7.1 rejected" in result.err
    assert statuses(site, publish) == [("Notes", 1, "draft")]

    accepting = smtp_server()
    configure(site, accepting.port)
    result = publish(site.root, "email", "--now", NOW, "--send")
    assert result.code == 0, result.err
    assert len(accepting.received) == 1
    assert accepting.received[0].message["Subject"] == "Notes #1: Second and 1 more"
    assert statuses(site, publish) == [("Notes", 1, "sent")]


# 4. No server at all


def test_no_server_listening_is_a_clear_error(site: SiteDir, publish) -> None:
    port = free_port()
    configure(site, port)
    two_posts(site)

    result = publish(site.root, "email", "--now", NOW, "--send")
    assert result.code == 1
    line = assert_one_line_error(result.err, port)
    assert "cannot send" in line and "refused" in line.lower()
    assert statuses(site, publish) == [("Notes", 1, "draft")]


# 5. A series for Mailchimp


def test_send_refuses_a_mailchimp_series(site: SiteDir, publish, smtp_server) -> None:
    server = smtp_server()
    configure(site, server.port, extra='\n[series."Notes"]\nprofile = "mailchimp"\n')
    two_posts(site)
    drafted = publish(site.root, "email", "--now", NOW)
    assert drafted.code == 0, drafted.err
    before = ledger(site, publish)
    assert [i["status"] for i in before] == ["draft"]

    # Plain --send sends the smtp drafts and says why it leaves the others alone.
    result = publish(site.root, "email", "--now", NOW, "--send")
    assert result.code == 0 and result.err == ""
    assert result.out.splitlines()[-1] == (
        "Notes #1: not sent: the Mailchimp profile sends from Mailchimp (paste "
        "email/notes/1/issue.html there)")
    # Naming the series asks for the impossible: a clear refusal.
    result = publish(site.root, "email", "--now", NOW, "--send", "notes")
    assert result.code == 1
    assert "Traceback" not in result.err
    (line,) = result.err.splitlines()
    assert line.startswith("error: Notes uses the Mailchimp profile: paste")
    assert "issue.html" in line and "Mailchimp" in line
    assert server.received == []
    assert ledger(site, publish) == before


# 6. Non-ASCII subject


def test_subject_with_emoji_and_accents_round_trips(site: SiteDir, publish,
                                                     smtp_server) -> None:
    server = smtp_server()
    configure(site, server.port)
    title = "Café ☕ déjà vu"
    post(site, "2024-01-01-cafe.md", title)

    proof = publish(site.root, "email", "--now", NOW, "--test-to", "proof@example.org")
    assert proof.code == 0, proof.err
    sent = publish(site.root, "email", "--now", NOW, "--send")
    assert sent.code == 0, sent.err

    assert len(server.received) == 2
    for got, prefix in zip(server.received, ["[Test] ", ""], strict=True):
        assert got.raw_headers.isascii(), got.raw_headers
        assert b"=?utf-8?" in got.raw_headers.lower()
        assert got.message["Subject"] == f"{prefix}Notes #1: {title}"
    (issue,) = ledger(site, publish)
    assert issue["subject"] == f"Notes #1: {title}"


# Login


def test_login_uses_config_username_and_env_password(site: SiteDir, publish, smtp_server,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    auth = Authenticator("ada", PASSWORD)
    server = smtp_server(authenticator=auth, auth_require_tls=False)
    configure(site, server.port,
              smtp_extra=f'username = "ada"\npassword_env = "{PASSWORD_ENV}"')
    two_posts(site)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)

    result = publish(site.root, "email", "--now", NOW, "--send")
    assert result.code == 0, result.err
    assert [(login, pw) for _, login, pw in auth.attempts] == [("ada", PASSWORD)]
    assert len(server.received) == 1
    assert statuses(site, publish) == [("Notes", 1, "sent")]


@pytest.mark.parametrize("password", ["wrong-Pa55word", None], ids=["wrong", "unset"])
def test_refused_login_is_clear_and_keeps_password_secret(
        site: SiteDir, publish, smtp_server, monkeypatch: pytest.MonkeyPatch,
        password: str | None) -> None:
    auth = Authenticator("ada", PASSWORD)
    server = smtp_server(authenticator=auth, auth_require_tls=False)
    configure(site, server.port,
              smtp_extra=f'username = "ada"\npassword_env = "{PASSWORD_ENV}"')
    two_posts(site)
    if password is not None:
        monkeypatch.setenv(PASSWORD_ENV, password)

    result = publish(site.root, "email", "--now", NOW, "--send")
    assert result.code == 1
    line = assert_one_line_error(result.err, server.port)
    assert PASSWORD_ENV in line
    assert ("login refused" if password else "is not set; put the SMTP password for ada") \
        in line
    if password is not None:
        assert auth.attempts and {pw for _, _, pw in auth.attempts} == {password}
        assert password not in result.err and password not in result.out
    assert PASSWORD not in result.err
    assert server.received == []
    assert statuses(site, publish) == [("Notes", 1, "draft")]
