"""Which channels a person receives a kind of message on.

A choice for that kind wins over a choice for every kind (kind=""), which wins over the kind's
default channels. In-app is always on: the inbox is the record of what the platform said.
"""

from collections import defaultdict

from tinhso.core.models.notifications import NotificationPreference

from .kinds import Kind
from .senders import configured_senders


def chosen_channels(user, kind: Kind) -> list[str]:
    return channels_for_people([user], kind)[user.pk]


def channels_for_people(people: list, kind: Kind) -> dict[int, list[str]]:
    """{user id: channels} for everyone in `people`, in one query."""
    choices: dict[int, dict[tuple[str, str], bool]] = defaultdict(dict)
    rows = NotificationPreference.objects.filter(user__in=people, kind__in=("", kind.name))
    for user_id, kind_name, channel, enabled in rows.values_list("user_id", "kind", "channel", "enabled"):
        choices[user_id][(kind_name, channel)] = enabled
    configured = [channel for channel in configured_senders() if channel != "in_app"]
    channels = {}
    for person in people:
        mine = choices.get(person.pk, {})
        channels[person.pk] = ["in_app"] + [
            channel
            for channel in configured
            if mine.get((kind.name, channel), mine.get(("", channel), channel in kind.channels))
        ]
    return channels


def set_preferences(user, choices: dict[tuple[str, str], bool], *, actor) -> int:
    """Save a person's choices {(kind or "", channel): on}; only they (or the platform) may. Returns rows changed."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.db import transaction
    from django.utils.translation import gettext as _

    from tinhso.core.models.notifications import Channel

    from .kinds import kinds

    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("Only the person can change how they are notified."))
    known_kinds = {"", *(kind.name for kind in kinds.all())}
    changed = 0
    with transaction.atomic():
        for (kind, channel), enabled in sorted(choices.items()):
            if kind not in known_kinds or channel not in Channel.values or channel == Channel.IN_APP:
                raise ValidationError(_("Unknown kind of message or channel."))
            preference, created = NotificationPreference.objects.get_or_create(
                user=user, kind=kind, channel=channel, defaults={"enabled": enabled}
            )
            if not created and preference.enabled != enabled:
                preference.enabled = enabled
                preference.full_clean()
                preference.save(update_fields=["enabled", "updated_at"])
            changed += created or preference.enabled == enabled
    return changed
