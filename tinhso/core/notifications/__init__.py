"""How a person is told: the one door for messages (see docs/notifications.md).

    from tinhso.core.notifications import notify, register_kind

    notify(officer, kind="plans.task_reminder", subject=..., body=..., url=task_url, related=task,
           dedupe_key=f"due-{task.due_date}")

One `Message` per recipient (their in-app inbox) and one `Delivery` per channel they receive this
kind on; the sends happen after the surrounding transaction commits, on the worker.
"""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from tinhso.core import queue
from tinhso.core.models.notifications import Channel, Delivery, DeliveryState, Message

from .dispatch import end_of_quiet_hours
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
    "notify",
    "register_kind",
    "unread_count",
]


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
    spec = kinds.get(kind)
    if url and (not url.startswith("/") or url.startswith("//")):
        raise ValueError(f"notify(url=...) takes a relative path such as /plans/tasks/1/, not {url!r}")
    now = timezone.now()
    held_until = None if urgent else end_of_quiet_hours(now)
    fields = {
        "kind": kind,
        "subject": subject.strip()[:200],
        "body": body.strip(),
        "url": url,
        "related_type": ContentType.objects.get_for_model(related) if related is not None else None,
        "related_id": str(related.pk) if related is not None else "",
        "actor": actor if getattr(actor, "pk", None) else None,
        "urgent": urgent,
        "dedupe_key": dedupe_key[:200],
    }
    with transaction.atomic():
        people = _people(recipients)
        if fields["dedupe_key"]:
            told = Message.objects.filter(recipient__in=people, kind=kind, dedupe_key=fields["dedupe_key"])
            already = set(told.values_list("recipient_id", flat=True))
            people = [person for person in people if person.pk not in already]
        written = _write_messages([Message(recipient=person, **fields) for person in people])
        channels = channels_for_people([message.recipient for message in written], spec)
        deliveries = [
            delivery
            for message in written
            for delivery in _deliveries(message, channels[message.recipient_id], now, held_until)
        ]
        Delivery.objects.bulk_create(deliveries)
        to_send = [delivery.pk for delivery in deliveries if delivery.state == DeliveryState.QUEUED and not held_until]
        if to_send:
            transaction.on_commit(lambda: _enqueue(to_send))
    return written


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
