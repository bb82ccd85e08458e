"""Plans (kế hoạch) with their targets and tasks; every published task is "5 rõ"."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhso.core.models import ChangeLoggedModel, RestrictedQuerySet, ScopedModel

from ..choices import BudgetSource, TaskEventKind, TaskKind, TaskStatus
from .metadata import Indicator


class PlanQuerySet(RestrictedQuerySet):
    def restrict(self, user, permission_or_action: str = "view", *, path: str | None = None):
        """Besides the plans of the units they read plans of, people read the plans of the units above
        those: a commune carries out the province's plan. Only roles that read plans reach upwards."""
        from tinhso.accounts.access import unit_scope

        own = super().restrict(user, permission_or_action, path=path)
        if permission_or_action not in ("view", "plans.view_plan") or path:
            return own
        scope = unit_scope(user, "plans.view_plan")
        if scope.everything or scope.is_empty:
            return own
        above = {int(part) for path in scope.subtrees | scope.exact for part in path.strip("/").split("/")[:-1] if part}
        return self.filter(models.Q(pk__in=own.values("pk")) | models.Q(unit_id__in=above))

    def readable_by(self, user, plan) -> bool:
        """Whether `user` reads `plan`: the rule of restrict(), for one plan (the API's detail asks it)."""
        return self.restrict(user, "view").filter(pk=plan.pk).exists()


class Plan(ChangeLoggedModel, ScopedModel):
    """A plan or programme issued by a unit, e.g. Kế hoạch 80/KH-UBND of 27/3/2024."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="plans"
    )
    number = models.CharField(_("number and symbol"), max_length=60, help_text=_("e.g. 80/KH-UBND"))
    title = models.CharField(_("title"), max_length=300)
    issued_on = models.DateField(_("issued on"))
    issuer = models.ForeignKey(
        "units.Organisation",
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    description = models.TextField(_("summary"), blank=True)

    objects = PlanQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-start_date", "number"]

    def __str__(self):
        return f"{self.number} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("plans:plan_detail", args=[self.pk])


class Target(ChangeLoggedModel, ScopedModel):
    """What an indicator should reach, for a unit, by the end of a period."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="targets"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("administrative unit"), on_delete=models.PROTECT)
    period = models.CharField(_("by period"), max_length=7, help_text=_("e.g. 2025 for the end of 2025"))
    value = models.DecimalField(_("target value"), max_digits=20, decimal_places=4)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "indicator", "unit", "period"], name="one_target_per_indicator")
        ]

    def __str__(self):
        return f"{self.indicator} ≥ {self.value} ({self.period})"


class TaskQuerySet(RestrictedQuerySet):
    def open(self):
        return self.filter(status=TaskStatus.IN_PROGRESS)

    def overdue(self, day=None):
        return self.open().filter(due_date__lt=day or timezone.localdate())

    def due_within(self, days: int, day=None):
        today = day or timezone.localdate()
        return self.open().filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=days))


class Task(ChangeLoggedModel, ScopedModel):
    """A task of a plan: a key task, a model, a project or a solution group, with the five clarities."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="tasks")
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.CASCADE, related_name="subtasks"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices, default=TaskKind.KEY_TASK)
    code = models.CharField(_("code"), max_length=20, blank=True)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="plan_tasks"
    )
    # Rõ việc
    title = models.CharField(_("what is to be done"), max_length=300, blank=True)
    description = models.TextField(_("details"), blank=True)
    # Rõ người
    owner_organisation = models.ForeignKey(
        "units.Organisation",
        verbose_name=_("lead organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_tasks",
    )
    responsible_person = models.CharField(_("responsible person"), max_length=150, blank=True)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_tasks",
    )
    coordinating = models.CharField(_("coordinating organisations"), max_length=300, blank=True)
    # Rõ thời gian
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # Rõ sản phẩm
    expected_output = models.TextField(_("expected output"), blank=True)
    # Rõ nguồn lực
    budget_vnd = models.DecimalField(
        _("budget (VND)"), max_digits=18, decimal_places=0, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    budget_source = models.CharField(_("budget source"), max_length=20, choices=BudgetSource.choices, blank=True)
    staffing = models.CharField(_("people assigned"), max_length=300, blank=True)

    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.DRAFT)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    is_overdue = models.BooleanField(_("overdue"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    indicators: models.ManyToManyField = models.ManyToManyField(
        Indicator, verbose_name=_("indicators it moves"), blank=True, related_name="tasks"
    )

    objects = TaskQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "kind", "code", "pk"]
        permissions = [("publish_task", "Can publish a task")]
        indexes = [models.Index(fields=["status", "due_date"], name="task_status_due_idx")]

    def __str__(self):
        return f"{self.code} {self.title}".strip() or str(_("Untitled task"))

    def get_absolute_url(self) -> str:
        return reverse("plans:task_detail", args=[self.pk])

    def days_late(self, day=None) -> int:
        today = day or timezone.localdate()
        if self.status != TaskStatus.IN_PROGRESS or not self.due_date or self.due_date >= today:
            return 0
        return (today - self.due_date).days


# The fields people fill in (pages, API and services share this list).
TASK_FIELDS = (
    "plan",
    "parent",
    "kind",
    "code",
    "title",
    "description",
    "owner_organisation",
    "responsible_person",
    "responsible_user",
    "coordinating",
    "start_date",
    "due_date",
    "expected_output",
    "budget_vnd",
    "budget_source",
    "staffing",
)


class TaskUpdate(ChangeLoggedModel, ScopedModel):
    """A progress report on a task, with evidence."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices)
    note = models.TextField(_("what was done"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "task__unit__path"

    class Meta:
        verbose_name = _("task update")
        verbose_name_plural = _("task updates")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.task} — {self.progress}%"


class TaskEvent(models.Model):
    """A fact the platform noted about a task: a reminder sent, the day it became overdue."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=TaskEventKind.choices)
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-pk"]
        constraints = [models.UniqueConstraint(fields=["task", "kind", "day"], name="one_task_event_per_day")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.day}"
