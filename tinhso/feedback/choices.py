from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    OPEN = "open", pgettext_lazy("citizen report", "Received")
    IN_PROGRESS = "in_progress", pgettext_lazy("citizen report", "Being handled")
    ANSWERED = "answered", pgettext_lazy("citizen report", "Answered")
    CLOSED = "closed", pgettext_lazy("citizen report", "Closed")


# Open311 knows two states: a request is open until the office is done with it.
OPEN311_STATUS: dict[str, str] = {
    Status.OPEN: "open",
    Status.IN_PROGRESS: "open",
    Status.ANSWERED: "closed",
    Status.CLOSED: "closed",
}
WAITING = (Status.OPEN, Status.IN_PROGRESS)


class PhotoStatus(models.TextChoices):
    """A photo is stored as sent, then a background job makes the copies that are shown (photos.py)."""

    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    UNREADABLE = "unreadable", _("Not a readable photo")
    FAILED = "failed", _("Photo could not be processed")


class Level(models.TextChoices):
    """Who answers a category: the commune of the place, or an office of the province for its field."""

    COMMUNE = "commune", _("Commune of the place")
    DISTRICT = "district", _("District of the place")
    PROVINCE = "province", _("Province office for its field")


class EventKind(models.TextChoices):
    CREATED = "created", pgettext_lazy("citizen report event", "Received")
    ROUTED = "routed", pgettext_lazy("citizen report event", "Sent to the office")
    TRANSFERRED = "transferred", pgettext_lazy("citizen report event", "Transferred")
    STATUS = "status", pgettext_lazy("citizen report event", "Status changed")
    NOTE = "note", pgettext_lazy("citizen report event", "Internal note")
    ANSWERED = "answered", pgettext_lazy("citizen report event", "Answered")
    CLOSED = "closed", pgettext_lazy("citizen report event", "Closed")
    REOPENED = "reopened", pgettext_lazy("citizen report event", "Reopened")
    RATED = "rated", pgettext_lazy("citizen report event", "Rated")


# The events shown on the public page; notes and routing between offices stay inside.
PUBLIC_EVENTS = (EventKind.CREATED, EventKind.STATUS, EventKind.ANSWERED, EventKind.CLOSED, EventKind.REOPENED)
