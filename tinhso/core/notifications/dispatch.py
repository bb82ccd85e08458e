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


BATCH = 200  # deliveries claimed, loaded and recorded together (a few statements for the lot)


def send_delivery(delivery_id: int, *, now: datetime.datetime | None = None) -> Delivery | None:
    """Send one queued delivery whose time has come; a delivery another worker holds is left alone."""
    sent = send_deliveries([delivery_id], now=now)
    return sent[0] if sent else None


def send_deliveries(delivery_ids, *, now: datetime.datetime | None = None) -> list[Delivery]:
    """Send the queued deliveries among `delivery_ids` whose time has come, `BATCH` at a time: each batch is
    claimed with one conditional UPDATE (a delivery another worker holds is left alone), loaded with one query,
    handed to each channel's sender as a list (`send_many`: one provider call per list where the provider
    takes lists), and its outcomes written back in one statement. Each delivery keeps its own state, attempts,
    error and retry time. Returns the deliveries this call attempted."""
    now = now or timezone.now()
    ids = list(dict.fromkeys(delivery_ids))
    done: list[Delivery] = []
    for first in range(0, len(ids), BATCH):
        done.extend(_send_batch(ids[first : first + BATCH], now))
    return done


def _claim(ids: list[int], now: datetime.datetime) -> list[Delivery]:
    due = Q(not_before__isnull=True) | Q(not_before__lte=now)
    stamp = timezone.now()  # this claim's mark: the rows this UPDATE took are those SENDING with it
    claimed = Delivery.objects.filter(due, pk__in=ids, state=DeliveryState.QUEUED).update(
        state=DeliveryState.SENDING, attempts=F("attempts") + 1, updated_at=stamp
    )
    if not claimed:
        return []
    mine = Delivery.objects.filter(pk__in=ids, state=DeliveryState.SENDING, updated_at=stamp)
    return list(mine.select_related("message__recipient").order_by("pk"))


def _send_batch(ids: list[int], now: datetime.datetime) -> list[Delivery]:
    deliveries = _claim(ids, now)
    by_channel: dict[str, list[Delivery]] = {}
    for delivery in deliveries:
        by_channel.setdefault(delivery.channel, []).append(delivery)
    for channel, group in by_channel.items():
        outcomes = outcomes_of(channel, group)
        for delivery in group:
            outcome = outcomes[delivery.pk]
            if isinstance(outcome, DeliveryError):
                _failed(delivery, outcome, now)
            else:
                delivery.state, delivery.sent_at, delivery.last_error = DeliveryState.SENT, now, ""
                delivery.provider_reference, delivery.not_before = (outcome or "")[:200], None
    stamp = timezone.now()
    for delivery in deliveries:
        delivery.updated_at = stamp
    Delivery.objects.bulk_update(
        deliveries, ["state", "sent_at", "last_error", "provider_reference", "not_before", "updated_at"]
    )
    return deliveries


def outcomes_of(channel: str, deliveries: list[Delivery]) -> dict:
    """Hand deliveries of one channel to its sender: per delivery id, the provider's reference (a string, maybe
    empty) or the DeliveryError that says why it did not go (channel off, the sender's refusal, a crash, no answer)."""
    sender = sender_for(channel)
    try:
        if sender is None:
            raise DeliveryError("channel is not configured", permanent=True)
        outcomes = sender.send_many(deliveries)
    except DeliveryError as error:
        outcomes = dict.fromkeys((delivery.pk for delivery in deliveries), error)
    except Exception as error:
        logger.exception("Sender %s failed on deliveries %s…", channel, deliveries[0].pk)
        outcomes = dict.fromkeys(
            (delivery.pk for delivery in deliveries), DeliveryError(f"{type(error).__name__}: {error}")
        )
    silent = DeliveryError("the sender gave no answer for this delivery")
    return {delivery.pk: outcomes.get(delivery.pk, silent) for delivery in deliveries}


def _failed(delivery: Delivery, error: DeliveryError, now: datetime.datetime) -> Delivery:
    delivery.last_error = str(error)[:500]
    if error.permanent or delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        delivery.state, delivery.not_before = DeliveryState.FAILED, None
    else:
        retry_at = now + retry_delay(delivery.attempts)
        if not delivery.message.urgent:
            retry_at = end_of_quiet_hours(retry_at) or retry_at
        delivery.state, delivery.not_before = DeliveryState.QUEUED, retry_at
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
    attempted = send_deliveries(list(due.order_by("pk").values_list("pk", flat=True)), now=now)
    return sum(delivery.state == DeliveryState.SENT for delivery in attempted)
