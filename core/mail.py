"""Outgoing mail: real SMTP when MAIL_SERVER is set, otherwise the log and an outbox folder.

Each message is rendered in the recipient's language (``force_locale``).
"""
from __future__ import annotations

import email
import email.policy
import logging
import os
import smtplib
import ssl
import tempfile
import time
import uuid
from datetime import datetime
from email.message import EmailMessage
from functools import partial
from email.utils import formatdate, make_msgid
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from flask_babel import force_locale

from core import tasks

log = logging.getLogger("app.mail")


def build_message(to: str, subject: str, body: str, html: str | None = None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="competition.local")
    msg.set_content(body)
    if html:
        msg.add_alternative(html, subtype="html")
    return msg


def send_template(to: str, template: str, language: str, *, timezone: str | None = None, **context) -> EmailMessage:
    """Render ``templates/email/<template>.txt`` (first line is the subject) in ``language`` and queue it.
    Dates in it go through ``maildate``, in the recipient's language and ``timezone`` (not the sender's).

    The message is rendered now (in the request, with its links) and sent by the task queue once the
    current transaction commits (in a request, once, after the response: ``core.transaction``; a rolled-back
    request sends nothing, see ``core.tasks``). A retried task sends the
    same Message-ID, so a receiving server can drop a copy sent twice after a worker crash.
    """
    with force_locale(language or "en"):
        text = render_template(f"email/{template}.txt", maildate=partial(mail_date, language=language or "en",
                                                                          timezone=timezone or "UTC"), **context)
    subject, _, body = text.strip().partition("\n")
    msg = build_message(to, subject.strip(), body.strip() + "\n")
    tasks.defer("mail", {"message": msg.as_string()})
    return msg


def mail_date(value: datetime, fmt: str = "d MMMM y, HH:mm", *, language: str, timezone: str) -> str:
    """A stored UTC time as the recipient reads it: "7 décembre 2026, 01:38" (Babel, their time zone)."""
    from babel.dates import format_datetime

    try:
        zone = ZoneInfo(timezone)
    except (ValueError, KeyError, OSError):
        zone = ZoneInfo("UTC")
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return format_datetime(value.astimezone(zone), fmt, locale=language)


@tasks.handler("mail")
def _send_queued(payload: dict) -> None:
    send(email.message_from_string(payload["message"], policy=email.policy.default))


def send(msg: EmailMessage) -> None:
    config = current_app.config
    if config.get("MAIL_SERVER"):
        _send_smtp(msg, config)
    else:
        _write_outbox(msg, Path(config["MAIL_OUTBOX"]))


def _send_smtp(msg: EmailMessage, config) -> None:
    host, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
    if config.get("MAIL_USE_SSL"):
        smtp = smtplib.SMTP_SSL(host, port, context=ssl.create_default_context(), timeout=30)
    else:
        smtp = smtplib.SMTP(host, port, timeout=30)
    with smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(msg)
    log.info("mail sent over SMTP to=%s subject=%r", msg["To"], msg["Subject"])


def _write_outbox(msg: EmailMessage, outbox: Path) -> Path:
    outbox.mkdir(parents=True, exist_ok=True)
    name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:12]}.eml"
    fd, tmp = tempfile.mkstemp(dir=outbox, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(msg.as_bytes())
    final = outbox / name
    os.replace(tmp, final)
    log.info("mail written to outbox to=%s subject=%r file=%s", msg["To"], msg["Subject"], final.name)
    return final
