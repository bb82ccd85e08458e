import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tinhso.core.models import ChangeLoggedModel, RestrictedQuerySet, ScopedModel
from tinhso.core.text import fold

from ..choices import TeamLevel


class TeamQuerySet(RestrictedQuerySet):
    def active_on(self, day: datetime.date):
        return self.filter(Q(founded_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gte=day)))


class Team(ChangeLoggedModel, ScopedModel):
    """A community digital-transformation team (Tổ CĐS cộng đồng) of a commune or a village.

    `unit` is the unit version the team was founded for. Across a reorganisation the team
    keeps it, and pages map it to the structure of the chosen day (tinhso.units.snapshot).
    """

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="dx_teams"
    )
    level = models.CharField(_("level"), max_length=10, choices=TeamLevel.choices, editable=False)
    name = models.CharField(_("name"), max_length=200)
    decision_number = models.CharField(
        _("founding decision number"), max_length=50, help_text=_("Number and symbol, e.g. 125/QĐ-UBND.")
    )
    founded_on = models.DateField(_("founding decision date"))
    decision_signer = models.CharField(
        _("signed by"), max_length=150, help_text=_("Name and title of the signer, e.g. Chủ tịch UBND xã.")
    )
    ended_on = models.DateField(_("dissolved on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    search_name = models.CharField(max_length=200, editable=False, blank=True, db_index=True)

    objects = TeamQuerySet.as_manager()  # type: ignore[misc]
    change_log_exclude = ("created_at", "updated_at", "search_name")

    class Meta:
        verbose_name = _("community DX team")
        verbose_name_plural = _("community DX teams")
        ordering = ["unit__path"]
        permissions = [("import_member", "Can import team members")]
        indexes = [models.Index(fields=["level", "founded_on", "ended_on"], name="team_level_active_idx")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("teams:team_detail", args=[self.pk])

    def is_active_on(self, day: datetime.date) -> bool:
        return self.founded_on <= day and (self.ended_on is None or self.ended_on >= day)
