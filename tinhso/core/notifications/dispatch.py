"""Sending deliveries on the worker: claim, send, record; retries with back-off; quiet hours."""

import datetime
import logging

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from tinhso.core.models.notifications import Delivery, DeliveryState

from .senders import DeliveryError, sender_for

logger = logging.getLogger(__name__)
STUCK_AFTER = datetime.timedelta(minutes=15)


def quiet_hours() -> tuple[datetime.time, datetime.time] | None:
    """NOTIFY_QUIET_HOURS "21:00-06:30" (local time) as (start, end); None when there are none."""
    spec = getattr(settings, "NOTIFY_QUIET_HOURS", "")
    if not spec:
        return None
    start, end = (datetime.time.fromisoformat(part.strip()) for part in spec.split("-"))
    return start, end


def end_of_quiet_hours(moment: datetime.datetime) -> datetime.datetime | None:
    """When a non-urgent send at `moment` may go out, or None when it may go now."""
    hours = quiet_hours()
    if hours is None:
        return None
    start, end = hours
    local = timezone.localtime(moment)
    now = local.time()
    inside = (start <= now or now < end) if start > end else (start <= now < end)
    if not inside:
        return None
    day = local.date() if now < end else local.date() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, end), local.tzinfo)


def retry_delay(attempts: int) -> datetime.timedelta:
    """1 minute after the first failure, then 5, 25, 125 minutes…, at most 6 hours."""
    return min(datetime.timedelta(minutes=5 ** (attempts - 1)), datetime.timedelta(hours=6))


def send_delivery(delivery_id: int, *, now: datetime.datetime | None = None) -> Delivery | None:
    """Send one queued delivery whose time has come; a delivery another worker holds is left alone."""
    now = now or timezone.now()
    due = Q(not_before__isnull=True) | Q(not_before__lte=now)
    claimed = Delivery.objects.filter(due, pk=delivery_id, state=DeliveryState.QUEUED).update(
        state=DeliveryState.SENDING, attempts=F("attempts") + 1, updated_at=now
    )
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("message__recipient").get(pk=delivery_id)
    sender = sender_for(delivery.channel)
    try:
        if sender is None:
            raise DeliveryError("channel is not configured", permanent=True)
        reference = sender.send(delivery)
    except DeliveryError as error:
        return _failed(delivery, error, now)
    except Exception as error:
        logger.exception("Sender %s failed on delivery %s", delivery.channel, delivery.pk)
        return _failed(delivery, DeliveryError(f"{type(error).__name__}: {error}"), now)
    delivery.state, delivery.sent_at, delivery.last_error = DeliveryState.SENT, now, ""
    delivery.provider_reference, delivery.not_before = (reference or "")[:200], None
    delivery.save(update_fields=["state", "sent_at", "last_error", "provider_reference", "not_before", "updated_at"])
    return delivery


def _failed(delivery: Delivery, error: DeliveryError, now: datetime.datetime) -> Delivery:
    delivery.last_error = str(error)[:500]
    if error.permanent or delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        delivery.state, delivery.not_before = DeliveryState.FAILED, None
    else:
        retry_at = now + retry_delay(delivery.attempts)
        if not delivery.message.urgent:
            retry_at = end_of_quiet_hours(retry_at) or retry_at
        delivery.state, delivery.not_before = DeliveryState.QUEUED, retry_at
    delivery.save(update_fields=["state", "last_error", "not_before", "updated_at"])
    logger.warning("Delivery %s (%s) failed, attempt %s: %s", delivery.pk, delivery.channel, delivery.attempts, error)
    return delivery


def send_due_deliveries(*, now: datetime.datetime | None = None) -> int:
    """Send what waited (quiet hours, retries) or was lost by a crashed worker; returns how many were sent."""
    now = now or timezone.now()
    Delivery.objects.filter(state=DeliveryState.SENDING, updated_at__lt=now - STUCK_AFTER).update(
        state=DeliveryState.QUEUED, updated_at=now
    )
    due = Delivery.objects.filter(state=DeliveryState.QUEUED).filter(
        Q(not_before__lte=now) | Q(not_before__isnull=True, created_at__lt=now - datetime.timedelta(minutes=1))
    )
    sent = 0
    for delivery_id in list(due.order_by("pk").values_list("pk", flat=True)):
        delivery = send_delivery(delivery_id, now=now)
        sent += bool(delivery and delivery.state == DeliveryState.SENT)
    return sent
