"""Speaker clusters, bulletins, their deliveries to clusters, the play log, and what communes configure."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhso.core.files import UnguessableName
from tinhso.core.models import ChangeLoggedModel, RestrictedQuerySet, ScopedModel

from .choices import (
    VOICE_CHOICES,
    BulletinKind,
    BulletinLevel,
    BulletinStatus,
    ClusterStatus,
    DeliveryState,
    PlayEventKind,
)

UNIT = "units.Unit"


def new_device_id() -> str:
    return f"c-{secrets.token_hex(4)}"


def new_board_slug() -> str:
    # Unguessable: the board page is opened on a TV without logging in.
    return secrets.token_urlsafe(16)


class SpeakerCluster(ChangeLoggedModel, ScopedModel):
    """A speaker cluster (cụm loa) of a village or a commune, driven by one device over MQTT."""

    name = models.CharField(_("name"), max_length=150)
    unit = models.ForeignKey(UNIT, verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="+")
    device_id = models.CharField(_("device id"), max_length=40, unique=True, default=new_device_id, editable=False)
    password_hash = models.CharField(max_length=200, editable=False)
    mosquitto_hash = models.CharField(max_length=200, editable=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    keepalive = models.PositiveIntegerField(
        _("keepalive (s)"), default=30, validators=[MinValueValidator(5), MaxValueValidator(3600)]
    )
    volume = models.PositiveSmallIntegerField(_("volume"), default=80, validators=[MaxValueValidator(100)])
    is_online = models.BooleanField(_("online"), default=False, editable=False)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True, editable=False)
    playing = models.JSONField(_("playing"), null=True, blank=True, editable=False)
    agent_version = models.CharField(_("agent version"), max_length=40, blank=True, editable=False)
    reported_volume = models.PositiveSmallIntegerField(_("volume on the device"), null=True, blank=True, editable=False)
    playlist_version = models.PositiveBigIntegerField(default=0, editable=False)
    note = models.CharField(_("note"), max_length=300, blank=True)

    change_log_exclude = ("created_at", "updated_at", "last_seen_at", "playing", "playlist_version", "reported_volume")

    class Meta:
        verbose_name = _("speaker cluster")
        verbose_name_plural = _("speaker clusters")
        ordering = ["unit__path", "name"]
        permissions = [("reset_password_speakercluster", "Can reset the device password of a speaker cluster")]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("radio:cluster_detail", args=[self.pk])

    def silent_after(self) -> datetime.timedelta:
        return datetime.timedelta(seconds=1.5 * self.keepalive)

    @property
    def is_silent(self) -> bool:
        """Connected as far as the broker knows, but no status for 1.5 × keepalive."""
        if not self.is_online or self.last_seen_at is None:
            return False
        return timezone.now() - self.last_seen_at > self.silent_after()

    @property
    def status(self) -> str:
        if not self.is_online:
            return ClusterStatus.OFFLINE
        return ClusterStatus.SILENT if self.is_silent else ClusterStatus.ONLINE

    def get_status_display(self) -> str:
        return str(ClusterStatus(self.status).label)


class Bulletin(ChangeLoggedModel, ScopedModel):
    """A bulletin (bản tin) sent by a unit to speaker clusters: text to speech, audio, a recording or a relay."""

    unit = models.ForeignKey(UNIT, verbose_name=_("sender unit"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=BulletinKind.choices, default=BulletinKind.TEXT)
    level = models.CharField(_("level"), max_length=10, choices=BulletinLevel.choices, default=BulletinLevel.NORMAL)
    voice = models.CharField(_("voice"), max_length=10, choices=VOICE_CHOICES, default="north")
    rate = models.PositiveSmallIntegerField(
        _("speaking rate (words per minute)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(80), MaxValueValidator(220)],
    )
    chime = models.BooleanField(_("chime before and after"), default=True)
    audio = models.FileField(_("audio"), upload_to=UnguessableName("radio/uploads"), blank=True)
    audio_sha256 = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    duration = models.FloatField(_("duration (s)"), null=True, blank=True, editable=False)
    reading = models.TextField(_("normalised reading"), blank=True, editable=False)
    stream_url = models.URLField(_("stream URL"), blank=True, max_length=500)
    fallback = models.FileField(_("fallback audio"), upload_to=UnguessableName("radio/uploads"), blank=True)
    fallback_sha256 = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    recurrence = models.JSONField(_("recurrence"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    repeat = models.PositiveSmallIntegerField(
        _("repeat"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    position = models.SmallIntegerField(
        _("order among clashing priority bulletins"), default=0, help_text=_("Smaller plays first.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT, editable=False
    )
    target_units: models.ManyToManyField = models.ManyToManyField(
        UNIT, verbose_name=_("target units"), blank=True, related_name="+"
    )
    target_clusters = models.ManyToManyField(
        SpeakerCluster, verbose_name=_("target clusters"), blank=True, related_name="bulletins"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    broadcast_at = models.DateTimeField(_("broadcast at"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    cap_identifier = models.CharField(_("CAP identifier"), max_length=250, blank=True, db_index=True)
    cap_sender = models.CharField(_("CAP sender"), max_length=250, blank=True)
    cap_references = models.JSONField(_("CAP references"), default=list, blank=True)
    # With sender and identifier, what names a CAP message (CAP 1.2, 3.2.1): the same three again is a resend.
    cap_sent = models.DateTimeField(_("CAP sent"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-created_at"]
        permissions = [
            ("broadcast_bulletin", "Can broadcast a bulletin"),
            ("cancel_bulletin", "Can cancel a bulletin"),
            ("import_cap_bulletin", "Can import a CAP alert"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="bulletin_status_expiry_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["cap_sender", "cap_identifier", "cap_sent"],
                condition=models.Q(cap_sent__isnull=False),
                name="bulletin_one_per_cap_alert",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("radio:bulletin_detail", args=[self.pk])

    @property
    def audio_url(self) -> str:
        """Where a signed-in user hears the bulletin (scoped, protected media)."""
        if not self.audio_sha256:
            return ""
        return reverse("radio:bulletin_audio", args=[self.pk])

    @property
    def origin_level(self) -> str:
        return self.unit.level

    @property
    def is_emergency(self) -> bool:
        return self.level == BulletinLevel.EMERGENCY

    @property
    def is_open(self) -> bool:
        return self.status in (BulletinStatus.DRAFT, BulletinStatus.SCHEDULED, BulletinStatus.ON_AIR)


class Delivery(ScopedModel):
    """One bulletin occurrence (item) for one cluster: what its playlist carries and what the device reported."""

    bulletin = models.ForeignKey(
        Bulletin, verbose_name=_("bulletin"), on_delete=models.CASCADE, related_name="deliveries"
    )
    cluster = models.ForeignKey(
        SpeakerCluster, verbose_name=_("speaker cluster"), on_delete=models.CASCADE, related_name="deliveries"
    )
    item = models.CharField(_("item"), max_length=40)
    starts_at = models.DateTimeField(_("starts at"))
    expires_at = models.DateTimeField(_("expires at"))
    repeat = models.PositiveSmallIntegerField(_("repeat"), default=1)
    rank = models.IntegerField(_("rank"))
    chain_level = models.CharField(_("chain level"), max_length=20)
    volume = models.PositiveSmallIntegerField(_("volume"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    plays = models.PositiveIntegerField(_("plays"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_event_at = models.DateTimeField(_("last event"), null=True, blank=True)

    scope_path = "cluster__unit__path"

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["starts_at", "cluster_id"]
        constraints = [models.UniqueConstraint(fields=["cluster", "item"], name="delivery_cluster_item_unique")]
        indexes = [models.Index(fields=["cluster", "state", "expires_at"], name="delivery_cluster_state_idx")]

    def __str__(self):
        return f"{self.item} → {self.cluster_id}"


class PlayEventQuerySet(RestrictedQuerySet):
    def update(self, **kwargs):
        raise TypeError("The play log is append-only.")

    def delete(self):
        raise TypeError("The play log is append-only.")


class PlayEvent(ScopedModel):
    """The append-only log of what each cluster did: plays, stops (and why), downloads, failures."""

    cluster = models.ForeignKey(
        SpeakerCluster, verbose_name=_("speaker cluster"), on_delete=models.PROTECT, related_name="events"
    )
    bulletin = models.ForeignKey(
        Bulletin, verbose_name=_("bulletin"), null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    item = models.CharField(_("item"), max_length=40, blank=True)
    event = models.CharField(_("event"), max_length=30, choices=PlayEventKind.choices)
    reason = models.CharField(_("reason"), max_length=20, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    level = models.CharField(_("level"), max_length=20, blank=True)
    repetition = models.PositiveSmallIntegerField(_("repetition"), null=True, blank=True)
    at = models.DateTimeField(_("time on the device"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    scope_path = "cluster__unit__path"
    objects = PlayEventQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("play event")
        verbose_name_plural = _("play log")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["cluster", "at"], name="playevent_cluster_at_idx")]

    def __str__(self):
        return f"{self.event} {self.item}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The play log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The play log is append-only.")


class PlaylistOutbox(models.Model):
    """A cluster whose playlist must be (re)published; the bridge drains it."""

    cluster = models.ForeignKey(SpeakerCluster, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["published_at", "id"], name="outbox_pending_idx")]

    def __str__(self):
        return f"outbox {self.cluster_id}"


class PronunciationEntry(ChangeLoggedModel, ScopedModel):
    """How a commune wants a word or phrase read aloud (its pronunciation dictionary)."""

    unit = models.ForeignKey(UNIT, verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="+")
    written = models.CharField(_("written"), max_length=100)
    spoken = models.CharField(_("spoken"), max_length=300)

    class Meta:
        verbose_name = _("pronunciation entry")
        verbose_name_plural = _("pronunciation dictionary")
        ordering = ["unit__path", "written"]
        constraints = [models.UniqueConstraint(fields=["unit", "written"], name="pronunciation_unit_written_unique")]

    def __str__(self):
        return f"{self.written} → {self.spoken}"


class CommuneRadioPolicy(ChangeLoggedModel, ScopedModel):
    """A commune's choice under Circular 39 when its priority bulletins clash with the province's."""

    unit = models.OneToOneField(UNIT, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="radio_policy")
    commune_first = models.BooleanField(
        _("play the commune's priority bulletins first"),
        default=False,
        help_text=_("When off, province and district priority bulletins play before the commune's own."),
    )

    class Meta:
        verbose_name = _("commune broadcasting order")
        verbose_name_plural = _("commune broadcasting orders")

    def __str__(self):
        return str(self.unit)

    def clean(self):
        if self.unit_id and self.unit.level != "commune":
            raise ValidationError({"unit": _("Choose a commune.")})


class Board(ChangeLoggedModel, ScopedModel):
    """An electronic bulletin board: a full-screen page (on a TV) showing the unit's current bulletins."""

    name = models.CharField(_("name"), max_length=150)
    unit = models.ForeignKey(UNIT, verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="+")
    slug = models.CharField(max_length=40, unique=True, default=new_board_slug, editable=False)

    change_log_exclude = ("created_at", "updated_at", "slug")

    class Meta:
        verbose_name = _("bulletin board")
        verbose_name_plural = _("bulletin boards")
        ordering = ["unit__path", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("radio:board_detail", args=[self.pk])
