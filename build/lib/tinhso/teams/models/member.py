import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tinhso.accounts.models import validate_phone
from tinhso.core.models import ChangeLoggedModel, RestrictedQuerySet, ScopedModel
from tinhso.core.text import fold

from ..choices import ETHNIC_GROUPS, ETHNIC_NAME, Gender, MemberRole


class Person(ChangeLoggedModel, ScopedModel):
    """Someone who serves on one or more teams (a commune team and a village team, say).

    The phone number, when known, identifies the person across teams and imports.
    """

    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(
        _("phone number"), max_length=15, unique=True, null=True, blank=True, validators=[validate_phone]
    )
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnic group"), max_length=2, choices=ETHNIC_GROUPS, default="01")
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, validators=[MinValueValidator(1920), MaxValueValidator(2015)]
    )
    skills = models.CharField(
        _("skills"), max_length=300, blank=True, help_text=_("Digital skills, separated by commas.")
    )
    search_name = models.CharField(max_length=150, editable=False, blank=True, db_index=True)

    scope_path = "memberships__team__unit__path"
    scope_distinct = True
    change_log_exclude = ("created_at", "updated_at", "search_name")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["search_name"]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.full_name)[:150]
        super().save(*args, **kwargs)

    def unit_paths(self) -> list[str]:
        # Bulk writers (imports, the demo) set known_unit_paths so that logging costs no query per person.
        known = self.__dict__.get("known_unit_paths")
        if known is not None:
            return known
        return [member.team.unit.path for member in self.memberships.select_related("team__unit")]

    @property
    def ethnicity_name(self) -> str:
        return ETHNIC_NAME.get(self.ethnicity, "")


class MemberQuerySet(RestrictedQuerySet):
    def active_on(self, day: datetime.date):
        return self.filter(Q(joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gte=day)))


class Member(ChangeLoggedModel, ScopedModel):
    """A person's place on one team: role and the days they joined and left."""

    team = models.ForeignKey("teams.Team", verbose_name=_("team"), on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(
        _("position in the team"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = MemberQuerySet.as_manager()  # type: ignore[misc]
    scope_path = "team__unit__path"

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "role", "person__search_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "person"], condition=Q(left_on__isnull=True), name="member_once_per_team"
            ),
        ]
        indexes = [models.Index(fields=["joined_on", "left_on"], name="member_active_idx")]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return reverse("teams:team_detail", args=[self.team_id]) + f"#member-{self.pk}"
