"""Senders: one per channel, all behind one small interface, chosen by settings.

A sender knows the address of a person on its channel and sends one delivery:

    class Sender:
        channel: str
        def address_for(self, user) -> str          # "" when the person cannot be reached there
        def send(self, delivery) -> str             # the provider's reference, or raises DeliveryError
        def send_many(self, deliveries) -> dict     # {delivery id: reference or DeliveryError}; by default
                                                    # send() one by one, a batched provider call where it takes lists

settings.NOTIFICATION_SENDERS maps a channel to {"BACKEND": dotted path, **options}; a channel that
is not there is off. See docs/notifications.md for the settings read from the environment.
"""

import json
import logging
import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from tinhso.core.phones import e164

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A send that did not go through; `permanent` ones are not tried again."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}" if path else ""


def plain_text(delivery, limit: int | None = None) -> str:
    """Subject, body and link in one short text (SMS, Zalo, the console)."""
    message = delivery.message
    text = " — ".join(part for part in (message.subject, message.body) if part)
    link = absolute_url(message.url)
    if limit and len(text) + len(link) + 1 > limit:
        text = text[: max(0, limit - len(link) - 2)].rstrip() + "…"
    return f"{text} {link}".strip()


class BaseSender(ABC):
    """A channel's sender: `send` delivers one delivery and answers the provider's reference (or "")."""

    channel = ""

    def __init__(self, channel: str, **options):
        self.channel, self.options = channel, options

    def address_for(self, user) -> str:
        if self.channel == "email":
            return user.email or ""
        if self.channel in ("sms", "zalo"):
            return e164(user.phone)
        return str(user.pk)

    @abstractmethod
    def send(self, delivery) -> str: ...

    def send_many(self, deliveries) -> dict[int, "str | DeliveryError"]:
        """Send a list of deliveries of this channel; the outcome of each: its reference, or the DeliveryError
        that stopped it (one person's failure does not stop the others). One by one unless a sender batches."""
        outcomes: dict[int, str | DeliveryError] = {}
        for delivery in deliveries:
            try:
                outcomes[delivery.pk] = self.send(delivery)
            except DeliveryError as error:
                outcomes[delivery.pk] = error
            except Exception as error:
                logger.exception("Sender %s failed on delivery %s", self.channel, delivery.pk)
                outcomes[delivery.pk] = DeliveryError(f"{type(error).__name__}: {error}")
        return outcomes


class InAppSender(BaseSender):
    """The inbox row is the message: nothing leaves the platform, it is delivered when written."""

    def send(self, delivery) -> str:
        return ""


@dataclass(frozen=True)
class OutboxEntry:
    channel: str
    address: str
    text: str
    delivery_id: int


# What the console senders "sent" in this process, newest last (tests read it, like mail.outbox).
outbox: list[OutboxEntry] = []


class OutboxSender(BaseSender):
    """Writes the message to the log and to `outbox` instead of sending it (demo, tests)."""

    def send(self, delivery) -> str:
        text = plain_text(delivery, limit=self.options.get("LIMIT"))
        outbox.append(OutboxEntry(self.channel, delivery.address, text, delivery.pk))
        logger.info("[%s → %s] %s", self.channel, delivery.address, text)
        return f"outbox-{len(outbox)}"


class EmailSender(BaseSender):
    """E-mail through Django's mail backend (EMAIL_BACKEND: console, SMTP, or an anymail provider).
    A list of deliveries goes through one connection (one SMTP session), each e-mail with its own outcome."""

    def _send(self, delivery, connection=None) -> str:
        message = delivery.message
        body = "\n\n".join(part for part in (message.body, absolute_url(message.url)) if part)
        email = EmailMessage(subject=message.subject, body=body, to=[delivery.address], connection=connection)
        try:
            email.send(fail_silently=False)
        except Exception as error:  # backends raise anything from smtplib to provider errors
            raise DeliveryError(f"{type(error).__name__}: {error}") from error
        return str(email.extra_headers.get("Message-ID", ""))

    def send(self, delivery) -> str:
        return self._send(delivery)

    def send_many(self, deliveries) -> dict[int, "str | DeliveryError"]:
        connection = get_connection(fail_silently=False)
        try:
            connection.open()
        except Exception as error:
            return dict.fromkeys((d.pk for d in deliveries), DeliveryError(f"{type(error).__name__}: {error}"))
        outcomes: dict[int, str | DeliveryError] = {}
        try:
            for delivery in deliveries:
                try:
                    outcomes[delivery.pk] = self._send(delivery, connection)
                except DeliveryError as error:
                    outcomes[delivery.pk] = error
        finally:
            try:
                connection.close()
            except Exception:  # the e-mails went (or not) already; a failed QUIT changes nothing
                logger.warning("Closing the mail connection failed", exc_info=True)
        return outcomes


class HttpSender(BaseSender):
    """SMS or Zalo OA/ZNS through a provider's (or a gateway's) HTTP endpoint.

    POSTs JSON {"channel", "to" (E.164), "text", "subject", "url", "reference"} to URL with
    "Authorization: Bearer TOKEN". 2xx: sent (a JSON "id" in the answer is kept as the provider's
    reference); 4xx other than 408/429: refused for good; anything else: tried again later.

    With BATCH > 1 (NOTIFY_SMS_BATCH, NOTIFY_ZALO_BATCH) up to BATCH messages go in one request,
    {"messages": [{...as above...}, ...]}, and the gateway answers one result per message,
    {"results": [{"reference": "<delivery id>", "id": "...", "error": "...", "status": 400}, ...]}: a result
    with an "error" failed (for good when its "status" is a 4xx other than 408/429), one without succeeded;
    a message with no result is tried again. A refused or failed request is every message's outcome.
    """

    def _payload(self, delivery) -> dict:
        message = delivery.message
        return {
            "channel": self.channel,
            "to": delivery.address,
            "text": plain_text(delivery, limit=self.options.get("LIMIT")),
            "subject": message.subject,
            "url": absolute_url(message.url),
            "reference": str(delivery.pk),
        }

    def _post(self, payload) -> bytes:
        request = urllib.request.Request(
            self.options["URL"],
            data=json.dumps(payload, ensure_ascii=False).encode(),
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"},
        )
        if self.options.get("TOKEN"):
            request.add_header("Authorization", f"Bearer {self.options['TOKEN']}")
        try:
            with urllib.request.urlopen(request, timeout=self.options.get("TIMEOUT", 10)) as response:
                return response.read(10_000_000)
        except urllib.error.HTTPError as error:
            detail = error.read(300).decode(errors="replace")
            raise DeliveryError(f"HTTP {error.code}: {detail}", permanent=_refused(error.code)) from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise DeliveryError(f"{type(error).__name__}: {error}") from error

    def send(self, delivery) -> str:
        answer = self._post(self._payload(delivery))
        try:
            return str(json.loads(answer or b"{}").get("id", ""))[:200]
        except (ValueError, AttributeError):
            return ""

    def send_many(self, deliveries) -> dict[int, "str | DeliveryError"]:
        size = int(self.options.get("BATCH") or 1)
        if size <= 1:
            return super().send_many(deliveries)
        outcomes: dict[int, str | DeliveryError] = {}
        for first in range(0, len(deliveries), size):
            chunk = deliveries[first : first + size]
            try:
                answer = json.loads(self._post({"messages": [self._payload(d) for d in chunk]}) or b"{}")
                results = {str(result.get("reference")): result for result in answer.get("results", [])}
            except DeliveryError as error:
                outcomes.update(dict.fromkeys((d.pk for d in chunk), error))
                continue
            except (ValueError, AttributeError, TypeError) as error:
                failure = DeliveryError(f"unreadable answer from the gateway: {error}")
                outcomes.update(dict.fromkeys((d.pk for d in chunk), failure))
                continue
            for delivery in chunk:
                result = results.get(str(delivery.pk))
                if not isinstance(result, dict):
                    outcomes[delivery.pk] = DeliveryError("the gateway gave no result for this message")
                elif result.get("error"):
                    status = result.get("status")
                    permanent = isinstance(status, int) and _refused(status)
                    outcomes[delivery.pk] = DeliveryError(str(result["error"])[:400], permanent=permanent)
                else:
                    outcomes[delivery.pk] = str(result.get("id", ""))[:200]
        return outcomes


def _refused(status: int) -> bool:
    """A provider's refusal for good (a bad number, a blocked account): 4xx other than timeout and too many."""
    return 400 <= status < 500 and status not in (408, 429)


@cache
def configured_senders() -> dict[str, BaseSender]:
    senders: dict[str, BaseSender] = {"in_app": InAppSender("in_app")}
    for channel, config in getattr(settings, "NOTIFICATION_SENDERS", {}).items():
        if config:
            options = {key: value for key, value in config.items() if key != "BACKEND"}
            senders[channel] = import_string(config["BACKEND"])(channel, **options)
    return senders


def sender_for(channel: str) -> BaseSender | None:
    return configured_senders().get(channel)


@receiver(setting_changed)
def _forget_senders(setting, **kwargs):
    if setting == "NOTIFICATION_SENDERS":
        configured_senders.cache_clear()
