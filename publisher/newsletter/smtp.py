"""Deliver one message by SMTP; credentials come from config and the environment.

What matters for "never sent twice" is the moment the server accepts the message: the
reply to DATA. Before the message's bytes leave, any failure means nothing was
delivered (`NotSent`: safe to try again). After they left and before the reply came
(the connection dropped, a timeout, Ctrl-C), nobody knows (`Unconfirmed`). Once the
reply says 250, the message is delivered to every recipient the server accepted:
`on_accepted` records that at once, and what happens next (QUIT answered with 421,
the connection dropped) is no failure.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses

from publisher.config import SmtpConfig
from publisher.problems import PublisherError


class NotSent(PublisherError):
    """Nothing was delivered: the issue may be sent again."""


class Unconfirmed(PublisherError):
    """The message went to the server, which never answered: it may have arrived."""


@dataclass(frozen=True)
class Delivery:
    accepted: tuple[str, ...]  # the recipients the message was delivered to
    refused: dict[str, str] = field(default_factory=dict)  # address -> the server's reply
    reply: str = ""  # the server's answer to the message


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(text.split())}"


def _connect(smtp: SmtpConfig, where: str) -> smtplib.SMTP:
    username = smtp.username or os.environ.get("PUBLISHER_SMTP_USERNAME", "")
    password = os.environ.get(smtp.password_env, "")
    if smtp.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout,
                                                context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    try:
        client.ehlo_or_helo_if_needed()
        if smtp.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if username:
            if not password:
                raise NotSent(f"{where}: ${smtp.password_env} is not set; put the SMTP "
                              f"password for {username} in it")
            client.login(username, password)
    except BaseException:
        client.close()
        raise
    return client


def _message_bytes(message: EmailMessage) -> bytes:
    """What DATA carries: CRLF line ends, lines starting with '.' doubled, and the end."""
    data = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _transmit(client: smtplib.SMTP, message: EmailMessage, sender: str, to: list[str],
              where: str, on_accepted: Callable[[Delivery], None]) -> Delivery:
    code, reply = client.mail(sender)
    if code != 250:
        raise NotSent(f"{where}: the server refused the sender {sender}: {_reply(code, reply)}")
    refused: dict[str, str] = {}
    for address in to:
        code, reply = client.rcpt(address)
        if code not in (250, 251):
            refused[address] = _reply(code, reply)
    accepted = [a for a in to if a not in refused]
    if not accepted:
        raise NotSent(f"{where}: refused every recipient ("
                      + "; ".join(f"{a}: {r}" for a, r in refused.items()) + ")")
    code, reply = client.docmd("DATA")
    if code != 354:
        raise NotSent(f"{where}: the server refused the message: {_reply(code, reply)}")
    try:
        client.send(_message_bytes(message))
        code, reply = client.getreply()
    except BaseException as exc:  # the bytes (some or all) went: the outcome is unknown
        raise Unconfirmed(_unconfirmed(where, exc)) from exc
    if 400 <= code < 600:
        raise NotSent(f"{where}: the server refused the message: {_reply(code, reply)}")
    if code != 250:
        raise Unconfirmed(_unconfirmed(where, f"it answered {_reply(code, reply)}"))
    delivery = Delivery(tuple(accepted), refused, _reply(code, reply))
    on_accepted(delivery)
    return delivery


def _unconfirmed(where: str, cause: object) -> str:
    if isinstance(cause, KeyboardInterrupt):
        cause = "interrupted"
    elif isinstance(cause, smtplib.SMTPServerDisconnected):
        cause = "the connection was closed"
    return (f"{where}: the message was sent but the server's answer never came ({cause}), "
            "so it may have been delivered")


def send(message: EmailMessage, smtp: SmtpConfig, recipients: str,
         on_accepted: Callable[[Delivery], None] = lambda delivery: None) -> Delivery:
    """Hand `message` to the server for `recipients`; `on_accepted` runs as soon as the
    server accepted it. Raises NotSent (nothing delivered) or Unconfirmed.

    The password is read from the environment variable named in the config and never
    appears in any message we print.
    """
    to = [address for _, address in getaddresses([recipients]) if address]
    if not to:
        raise NotSent("no recipient: set email.to (the list's address) or the series' 'to'")
    sender = next((a for _, a in getaddresses([str(message.get("Sender")
                                                   or message.get("From") or "")]) if a), "")
    where = f"{smtp.host}:{smtp.port}"
    try:
        client = _connect(smtp, where)
    except PublisherError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise NotSent(f"{where}: login refused ({exc.smtp_code}); check the username and "
                      f"the password in ${smtp.password_env}") from None
    except smtplib.SMTPResponseException as exc:
        raise NotSent(f"{where}: the server refused us: {_reply(exc.smtp_code, exc.smtp_error)}"
                      ) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise NotSent(f"{where}: cannot send: {exc}") from None
    try:
        delivery = _transmit(client, message, sender, to, where, on_accepted)
    except Unconfirmed:
        client.close()  # no QUIT: a server that did not answer DATA would not answer it
        raise
    except smtplib.SMTPResponseException as exc:
        client.close()
        raise NotSent(f"{where}: the server refused the message: "
                      f"{_reply(exc.smtp_code, exc.smtp_error)}") from None
    except (smtplib.SMTPException, OSError) as exc:  # before DATA's bytes left
        client.close()
        raise NotSent(f"{where}: cannot send: {exc}") from None
    except BaseException:
        client.close()
        raise
    try:
        client.quit()  # after a 250, a 421 here or a closed connection changes nothing
    except (smtplib.SMTPException, OSError):
        client.close()
    return delivery
