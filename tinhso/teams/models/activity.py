from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tinhso.core.files import UnguessableName
from tinhso.core.models import ChangeLoggedModel, ScopedModel


class ActivityType(ChangeLoggedModel):
    """An entry of the province's catalogue of field activities (configurable, never deleted once used)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True, max_length=1000)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:activitytype_edit", args=[self.pk])


class Activity(ChangeLoggedModel, ScopedModel):
    """What a team did in the field on a day, and how many people and households it reached."""

    team = models.ForeignKey("teams.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="activities")
    activity_type = models.ForeignKey(
        ActivityType, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="activities"
    )
    date = models.DateField(_("date"))
    village = models.ForeignKey(
        "units.Unit",
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dx_activities",
        help_text=_("Where it took place; empty for a commune-wide activity."),
    )
    people_reached = models.PositiveIntegerField(_("people reached"), default=0, validators=[MaxValueValidator(100000)])
    households_reached = models.PositiveIntegerField(
        _("households reached"), default=0, validators=[MaxValueValidator(20000)]
    )
    description = models.TextField(_("what was done"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    idempotency_key = models.UUIDField(_("submission key"), null=True, blank=True, unique=True, editable=False)

    scope_path = "team__unit__path"

    class Meta:
        verbose_name = _("field activity")
        verbose_name_plural = _("field activities")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["team", "date"], name="activity_team_date_idx"),
            models.Index(fields=["date"], name="activity_date_idx"),
        ]

    def __str__(self):
        return f"{self.activity_type} — {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("teams:activity_detail", args=[self.pk])


class Evidence(ChangeLoggedModel, ScopedModel):
    """A photo or file that shows an activity took place."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=UnguessableName("teams/evidence"))
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))

    scope_path = "activity__team__unit__path"

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
