"""Deliver one message by SMTP; credentials come from config and the environment."""

from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import getaddresses

from publisher.config import SmtpConfig
from publisher.problems import PublisherError


def send(message: EmailMessage, smtp: SmtpConfig, recipients: str) -> None:
    """Hand `message` to the server for `recipients`; raise PublisherError if refused.

    The password is read from the environment variable named in the config and never
    appears in any message we print.
    """
    to = [address for _, address in getaddresses([recipients]) if address]
    if not to:
        raise PublisherError("no recipient: set email.to (the list's address) or the "
                             "series' 'to'")
    username = smtp.username or os.environ.get("PUBLISHER_SMTP_USERNAME", "")
    password = os.environ.get(smtp.password_env, "")
    where = f"{smtp.host}:{smtp.port}"
    try:
        if smtp.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        with client:
            if smtp.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if username:
                if not password:
                    raise PublisherError(f"{where}: ${smtp.password_env} is not set; put the "
                                         f"SMTP password for {username} in it")
                client.login(username, password)
            refused = client.send_message(message, to_addrs=to)
    except smtplib.SMTPAuthenticationError as exc:
        raise PublisherError(f"{where}: login refused ({exc.smtp_code}); check the username "
                             f"and the password in ${smtp.password_env}") from None
    except smtplib.SMTPRecipientsRefused as exc:
        codes = "; ".join(f"{a}: {c} {m.decode(errors='replace')}"
                          for a, (c, m) in exc.recipients.items())
        raise PublisherError(f"{where}: refused every recipient ({codes})") from None
    except smtplib.SMTPResponseException as exc:
        reply = exc.smtp_error.decode(errors="replace") if isinstance(
            exc.smtp_error, bytes) else str(exc.smtp_error)
        raise PublisherError(f"{where}: the server refused the message: {exc.smtp_code} "
                             f"{reply}") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise PublisherError(f"{where}: cannot send: {exc}") from None
    if refused:
        raise PublisherError(f"{where}: refused some recipients: {', '.join(refused)}")
