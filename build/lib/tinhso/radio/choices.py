"""Fixed vocabularies of the smart radio: bulletin kinds, levels, states and device events."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BulletinKind(models.TextChoices):
    TEXT = "text", _("Text to speech")
    AUDIO = "audio", _("Uploaded audio")
    RECORDING = "recording", _("Recording")
    RELAY = "relay", _("Relay")


class BulletinLevel(models.TextChoices):
    """The three levels of Circular 39/2020/TT-BTTTT (a relay has its own place in the chain)."""

    NORMAL = "normal", _("Normal")
    PRIORITY = "priority", _("Priority")
    EMERGENCY = "emergency", _("Emergency")


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    ON_AIR = "on_air", _("On air")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    PLAYING = "playing", _("Playing")
    PLAYED = "played", _("Played")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")
    FAILED = "failed", _("Failed")


class PlayEventKind(models.TextChoices):
    PLAY = "play", _("Play")
    STOP = "stop", _("Stop")
    DOWNLOAD = "download", _("Download")
    FAILED = "failed", _("Failure")
    # Written by the server, not the device: the log of a catch-up after a reconnection.
    DELIVERED_ON_RECONNECTION = "delivered_on_reconnection", _("Delivered on reconnection")


class StopReason(models.TextChoices):
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")
    PREEMPTED = "preempted", _("Pre-empted")
    EXPIRED = "expired", _("Expired")
    ERROR = "error", _("Error")


class ClusterStatus(models.TextChoices):
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("Offline")
    SILENT = "silent", _("Silent")


VOICE_CHOICES = [("north", _("Northern")), ("central", _("Central")), ("south", _("Southern"))]
