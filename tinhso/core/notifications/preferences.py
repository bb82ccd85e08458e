"""Which channels a person receives a kind of message on.

A choice for that kind wins over a choice for every kind (kind=""), which wins over the kind's
default channels. In-app is always on: the inbox is the record of what the platform said.
"""

from tinhso.core.models.notifications import NotificationPreference

from .kinds import Kind
from .senders import configured_senders


def chosen_channels(user, kind: Kind) -> list[str]:
    choices: dict[tuple[str, str], bool] = {
        (preference.kind, preference.channel): preference.enabled
        for preference in NotificationPreference.objects.filter(user=user, kind__in=("", kind.name))
    }
    channels = ["in_app"]
    for channel in configured_senders():
        if channel == "in_app":
            continue
        default = channel in kind.channels
        if choices.get((kind.name, channel), choices.get(("", channel), default)):
            channels.append(channel)
    return channels
