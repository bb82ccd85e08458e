"""Citizen reports and proposals (phản ánh, kiến nghị): the service catalogue, holidays, routing rules, the
reports with their photos and their history."""

import secrets

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tinhso.core.files import UnguessableName
from tinhso.core.models import ChangeLoggedModel, ScopedModel

from .choices import EventKind, Level, PhotoStatus, Status

DESCRIPTION_MAX_LENGTH = 4000


def new_token() -> str:
    return secrets.token_urlsafe(12)


class ServiceCategory(ChangeLoggedModel, ScopedModel):
    """A kind of report (road damaged, landslide...): an Open311 service. `unit` owns the catalogue entry."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(_("group"), max_length=80, blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    level = models.CharField(_("answered by"), max_length=10, choices=Level.choices, default=Level.COMMUNE)
    organisation = models.ForeignKey(
        "units.Organisation",
        verbose_name=_("responsible office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The office of the province that answers reports of its field."),
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("deadline (working days)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    is_public = models.BooleanField(_("public"), default=True)
    attributes = models.JSONField(_("attributes (Open311 service definition)"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=50)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive category is offered nowhere; its reports are kept.")
    )

    class Meta:
        verbose_name = _("report category")
        verbose_name_plural = _("report categories")
        ordering = ["order", "name"]
        permissions = [("view_statistics", _("Can see statistics of citizen reports"))]

    def __str__(self):
        return self.name


class Holiday(ChangeLoggedModel):
    """A public holiday (or a day off moved by the government): not a working day for deadlines."""

    day = models.DateField(_("day"), unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day:%d/%m/%Y} {self.name}"


class RoutingRule(ChangeLoggedModel, ScopedModel):
    """Reports of `category` (any when empty) from places inside `unit` go to `organisation`; the rule of the
    smallest area wins."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        ServiceCategory, verbose_name=_("category"), null=True, blank=True, on_delete=models.CASCADE
    )
    organisation = models.ForeignKey(
        "units.Organisation", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["unit__path"]

    def __str__(self):
        return f"{self.category or '*'} @ {self.unit} → {self.organisation}"


class Report(ChangeLoggedModel, ScopedModel):
    """One citizen's report or proposal. `unit` is the unit of the office it is routed to (who may see and
    handle it); `place` is where it happened."""

    service = models.ForeignKey(
        ServiceCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="reports"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit of the office"), on_delete=models.PROTECT, related_name="+"
    )
    routed_to = models.ForeignKey(
        "units.Organisation", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    place = models.ForeignKey(
        "units.Unit",
        verbose_name=_("village or commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    attributes = models.JSONField(
        _("answers to the category's attributes"),
        default=dict,
        blank=True,
        help_text=_("Checked against the category's attributes (attributes.py); never published."),
    )
    description = models.TextField(_("description"), validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)])
    public_text = models.TextField(_("public text"), blank=True)
    is_public = models.BooleanField(_("shown on the public pages"), default=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    is_anonymous = models.BooleanField(
        _("anonymous towards the office"),
        default=False,
        help_text=_("The office does not see the reporter's name and phone."),
    )
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed on behalf by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    deadline = models.DateField(_("answer due"))
    answer = models.TextField(_("public answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("satisfaction"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("possible duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    token = models.CharField(max_length=24, unique=True, default=new_token, editable=False)

    class Meta:
        verbose_name = _("citizen report")
        verbose_name_plural = _("citizen reports")
        ordering = ["-submitted_at", "-id"]
        permissions = [
            ("answer_report", _("Can answer citizen reports")),
            ("transfer_report", _("Can transfer citizen reports")),
            ("assist_report", _("Can file a report on behalf of a resident")),
        ]
        indexes = [
            models.Index(fields=["service", "submitted_at"], name="feedback_report_service_day"),
            # The public list's order and seek key (public.report_list).
            models.Index(fields=["-submitted_at", "-id"], name="feedback_report_recent"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.service}"

    def get_absolute_url(self):
        return reverse("feedback:report_detail", args=[self.pk])

    def get_public_url(self):
        return reverse("feedback_public:report", args=[self.pk])


class Photo(ChangeLoggedModel, ScopedModel):
    """A photo of a report. The upload is kept as sent in `original` (never served: its EXIF holds the phone's
    GPS point) until a background job (photos.py) has made `image` (1,280 px) and `thumbnail` (320 px),
    re-encoded without EXIF; then the original is deleted. Until then pages show a placeholder."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    status = models.CharField(_("status"), max_length=10, choices=PhotoStatus.choices, default=PhotoStatus.PENDING)
    original = models.FileField(_("photo as sent"), upload_to=UnguessableName("feedback/originals"), blank=True)
    image = models.ImageField(_("photo"), upload_to=UnguessableName("feedback/photos"), blank=True)
    thumbnail = models.ImageField(_("small copy"), upload_to=UnguessableName("feedback/thumbnails"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts to prepare"), default=0)

    scope_path = "report__unit__path"

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "created_at"], name="feedback_photo_pending")]

    @property
    def is_ready(self) -> bool:
        return self.status == PhotoStatus.READY and bool(self.image)


class ReportEvent(ChangeLoggedModel, ScopedModel):
    """The history of a report: received, routed, transferred (with the reason), notes, status changes..."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, blank=True)
    organisation = models.ForeignKey(
        "units.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("text"), blank=True, validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)])
    at = models.DateTimeField(_("time"))

    scope_path = "report__unit__path"

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["at", "id"]
