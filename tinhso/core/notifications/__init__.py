"""How a person is told: the one door for messages (see docs/notifications.md).

    from tinhso.core.notifications import notify, register_kind

    notify(officer, kind="plans.task_reminder", subject=..., body=..., url=task_url, related=task,
           dedupe_key=f"due-{task.due_date}")

One `Message` per recipient (their in-app inbox) and one `Delivery` per channel they receive this
kind on; the sends happen after the surrounding transaction commits, on the worker.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from tinhso.core import queue
from tinhso.core.models.notifications import Channel, Delivery, DeliveryState, Message

from .dispatch import end_of_quiet_hours, outcomes_of
from .kinds import Kind, kinds, register_kind
from .preferences import channels_for_people
from .senders import DeliveryError, sender_for

__all__ = [
    "Channel",
    "DeliveryError",
    "Kind",
    "Message",
    "kinds",
    "mark_all_read",
    "mark_read",
    "Notice",
    "notify",
    "notify_many",
    "register_kind",
    "send_now",
    "unread_count",
]


@dataclass
class Notice:
    """One notify() call's worth: what `recipients` are told (the arguments of notify)."""

    recipients: Any
    kind: str
    subject: str
    body: str
    url: str = ""
    related: Any = None
    actor: Any = None
    urgent: bool = False
    dedupe_key: str = ""


def notify(
    recipients,
    *,
    kind: str,
    subject: str,
    body: str,
    url: str = "",
    related=None,
    actor=None,
    urgent: bool = False,
    dedupe_key: str = "",
) -> list[Message]:
    """Tell each recipient; returns the messages written (a repeated dedupe_key writes none)."""
    notice = Notice(recipients, kind, subject, body, url, related, actor, urgent, dedupe_key)
    return notify_many([notice])


def notify_many(notices: list[Notice]) -> list[Message]:
    """Many notify() calls at once, e.g. one per speaker cluster that went offline: a handful of queries
    whatever their number (the dedupe check, the messages, the channel choices per kind, the deliveries) and
    one job that sends them after commit. Returns the messages written."""
    now = timezone.now()
    for notice in notices:
        kinds.get(notice.kind)
        if notice.url and (not notice.url.startswith("/") or notice.url.startswith("//")):
            raise ValueError(f"notify(url=...) takes a relative path such as /plans/tasks/1/, not {notice.url!r}")
    with transaction.atomic():
        messages = _new_messages(notices)
        written = _write_messages(messages)
        quiet_until, deliveries = end_of_quiet_hours(now), []
        for kind, group in _by_kind(written).items():
            channels = channels_for_people([message.recipient for message in group], kinds.get(kind))
            for message in group:
                held_until = None if message.urgent else quiet_until
                deliveries += _deliveries(message, channels[message.recipient_id], now, held_until)
        Delivery.objects.bulk_create(deliveries)
        queued = (delivery for delivery in deliveries if delivery.state == DeliveryState.QUEUED)
        to_send = [delivery.pk for delivery in queued if not delivery.not_before]
        if to_send:
            transaction.on_commit(lambda: _enqueue(to_send))
    return written


def _fields(notice: Notice) -> dict:
    related = notice.related
    return {
        "kind": notice.kind,
        "subject": notice.subject.strip()[:200],
        "body": notice.body.strip(),
        "url": notice.url,
        "related_type": ContentType.objects.get_for_model(related) if related is not None else None,
        "related_id": str(related.pk) if related is not None else "",
        "actor": notice.actor if getattr(notice.actor, "pk", None) else None,
        "urgent": notice.urgent,
        "dedupe_key": notice.dedupe_key[:200],
    }


def _new_messages(notices: list[Notice]) -> list[Message]:
    """One unsaved Message per person and notice, less those whose (kind, dedupe key) they already have."""
    wanted = [(_fields(notice), _people(notice.recipients)) for notice in notices]
    keys = {fields["dedupe_key"] for fields, _people_ in wanted if fields["dedupe_key"]}
    told = set()
    if keys:
        everyone = {person.pk for _fields_, people in wanted for person in people}
        earlier = Message.objects.filter(recipient__in=everyone, dedupe_key__in=keys)
        told = set(earlier.values_list("recipient_id", "kind", "dedupe_key"))
    messages = []
    for fields, people in wanted:
        for person in people:
            key = (person.pk, fields["kind"], fields["dedupe_key"])
            if fields["dedupe_key"]:
                if key in told:
                    continue
                told.add(key)
            messages.append(Message(recipient=person, **fields))
    return messages


def _by_kind(messages: list[Message]) -> dict[str, list[Message]]:
    groups: dict[str, list[Message]] = {}
    for message in messages:
        groups.setdefault(message.kind, []).append(message)
    return groups


def _people(recipients) -> list:
    people = [recipients] if not isinstance(recipients, Iterable) else list(recipients)
    unique = {person.pk: person for person in people if person is not None and person.is_active}
    return list(unique.values())


def _write_messages(messages: list[Message]) -> list[Message]:
    try:
        with transaction.atomic():
            return Message.objects.bulk_create(messages)
    except IntegrityError:  # a concurrent call wrote the same dedupe_key for someone: one by one
        written = []
        for message in messages:
            try:
                with transaction.atomic():
                    message.save(force_insert=True)
                written.append(message)
            except IntegrityError:
                message.pk = None
        return written


def _deliveries(message: Message, channels: list[str], now, held_until) -> list[Delivery]:
    deliveries = []
    for channel in channels:
        sender = sender_for(channel)
        address = sender.address_for(message.recipient) if sender else ""
        if not address:
            continue
        if channel == Channel.IN_APP:
            state = {"state": DeliveryState.DELIVERED, "sent_at": now, "delivered_at": now}
            deliveries.append(Delivery(message=message, channel=channel, address=address, **state))
        else:
            deliveries.append(Delivery(message=message, channel=channel, address=address, not_before=held_until))
    return deliveries


def _enqueue(delivery_ids: list[int]) -> None:
    queue.enqueue("send_deliveries", delivery_ids)


def mark_read(message: Message, *, actor) -> None:
    """The recipient has read the message (only they can mark it)."""
    from django.core.exceptions import PermissionDenied

    if actor is None or actor.pk != message.recipient_id:
        raise PermissionDenied
    if message.read_at is None:
        now = timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=now)
        message.deliveries.filter(channel=Channel.IN_APP).update(state=DeliveryState.READ, updated_at=now)
        message.read_at = now


def mark_all_read(*, actor) -> int:
    now = timezone.now()
    unread = Message.objects.filter(recipient=actor, read_at__isnull=True)
    Delivery.objects.filter(message__in=unread, channel=Channel.IN_APP).update(state=DeliveryState.READ, updated_at=now)
    return unread.update(read_at=now)


def unread_count(user) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


def send_now(recipient, *, kind: str, channel: str, address: str, subject: str, body: str, record: str) -> Delivery:
    """Send one text at once on one channel to `address`, past the person's preferences, quiet hours and the
    worker: for what the person waits for on the screen (a one-time code). `body` goes to the sender only; the
    inbox row and the delivery log keep `record` instead, so a code is never readable there nor left in the
    database for the worker. Raises DeliveryError when the channel is off or the send failed (the row says so).
    Call it outside a transaction: the text has gone whatever the caller does next."""
    kinds.get(kind)
    message = Message.objects.create(recipient=recipient, kind=kind, subject=subject[:200], body=record, urgent=True)
    delivery = Delivery.objects.create(
        message=message, channel=channel, address=address, state=DeliveryState.SENDING, attempts=1
    )
    message.body = body  # what the sender reads; not saved
    outcome = outcomes_of(channel, [delivery])[delivery.pk]
    now = timezone.now()
    if isinstance(outcome, DeliveryError):
        Delivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryState.FAILED, last_error=str(outcome)[:500], updated_at=now
        )
        raise outcome
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SENT, sent_at=now, provider_reference=(outcome or "")[:200], updated_at=now
    )
    return delivery
