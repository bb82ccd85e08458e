"""Work items of people, the product catalogue, the KPI rules and the monthly and yearly evaluations."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tinhso.core.models import ChangeLoggedModel, ScopedModel

from .choices import AppealStatus, Priority, Quality, ReviewStatus, ReviewStep, Status

ORGANISATION_SCOPE = "organisation__unit__path"


class JobPosition(ChangeLoggedModel, ScopedModel):
    """A job position (vị trí việc làm) of a body; its norm says how much work a month it carries."""

    organisation = models.ForeignKey(
        "units.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="job_positions"
    )
    name = models.CharField(_("name"), max_length=200)

    scope_path = ORGANISATION_SCOPE

    class Meta:
        verbose_name = _("job position")
        verbose_name_plural = _("job positions")
        ordering = ["organisation", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="job_position_name_per_body")]

    def __str__(self):
        return self.name


class EffectiveValue(ChangeLoggedModel, ScopedModel):
    """A number of something (a product, a job position) in force from a day on: one row per version.
    Subclasses name the owner and the value (`owner_field`, `value_field`) and add both fields."""

    owner_field: str = ""
    value_field: str = ""

    effective_from = models.DateField(_("effective from"))

    class Meta:
        abstract = True

    @classmethod
    def versions(cls, owner_ids) -> dict[int, list[tuple[datetime.date, Decimal]]]:
        """{owner id: [(effective_from, value)...]} for the given owners, in one query."""
        found: dict[int, list] = defaultdict(list)
        rows = cls.objects.filter(**{f"{cls.owner_field}_id__in": owner_ids}).values_list(
            f"{cls.owner_field}_id", "effective_from", cls.value_field
        )
        for owner_id, day, value in rows:
            found[owner_id].append((day, value))
        return found


class PositionNorm(EffectiveValue):
    """Standard products a month expected from a job position, from a day on."""

    owner_field, value_field = "job_position", "monthly_standard_products"

    job_position = models.ForeignKey(JobPosition, on_delete=models.CASCADE, related_name="norms")
    monthly_standard_products = models.DecimalField(
        _("standard products a month"), max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    scope_path = "job_position__organisation__unit__path"

    class Meta:
        verbose_name = _("job position norm")
        verbose_name_plural = _("job position norms")
        ordering = ["job_position", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["job_position", "effective_from"], name="one_norm_per_position_and_day")
        ]


class StaffMember(ChangeLoggedModel, ScopedModel):
    """An official of a body: who manages them, their position, and whether they keep personnel records."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="staff_member"
    )
    organisation = models.ForeignKey(
        "units.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="staff_members"
    )
    title = models.CharField(_("position title"), max_length=150, blank=True)
    job_position = models.ForeignKey(
        JobPosition, verbose_name=_("job position"), null=True, blank=True, on_delete=models.SET_NULL
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("direct manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    is_head = models.BooleanField(_("head of the body"), default=False)
    is_personnel_officer = models.BooleanField(_("personnel officer"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    scope_path = ORGANISATION_SCOPE

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        ordering = ["organisation", "-is_head", "user__full_name"]

    def __str__(self):
        return str(self.user)

    def managers(self) -> list["StaffMember"]:
        """The line above: direct manager, their manager... (a loop in the data ends the walk)."""
        chain, seen, current = [], {self.pk}, self.manager
        while current is not None and current.pk not in seen:
            chain.append(current)
            seen.add(current.pk)
            current = current.manager
        return chain


class Product(ChangeLoggedModel, ScopedModel):
    """A product or work type of a body's catalogue, converted into standard products."""

    organisation = models.ForeignKey(
        "units.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="work_products"
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    measure = models.CharField(_("unit of measure"), max_length=40, default="sản phẩm")

    scope_path = ORGANISATION_SCOPE

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["organisation", "code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="product_code_per_body")]

    def __str__(self):
        return f"{self.code} — {self.name}"


class ConversionFactor(EffectiveValue):
    """How many standard products one unit of the product is worth, from a day on."""

    owner_field, value_field = "product", "factor"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="factors")
    factor = models.DecimalField(
        _("conversion factor"), max_digits=7, decimal_places=3, validators=[MinValueValidator(Decimal(0))]
    )

    scope_path = "product__organisation__unit__path"

    class Meta:
        verbose_name = _("conversion factor")
        verbose_name_plural = _("conversion factors")
        ordering = ["product", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["product", "effective_from"], name="one_factor_per_day")]


class KpiRules(ChangeLoggedModel, ScopedModel):
    """The evaluation rules in force from a day on (Decree 335/2025 today): the scoring criteria set holds
    the weights and caps; this holds quality factors, lateness credit, grades, disqualifiers and the quota."""

    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey("units.Unit", verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="+")
    effective_from = models.DateField(_("effective from"))
    criteria_set = models.ForeignKey(
        "scoring.CriteriaSet", verbose_name=_("criteria set"), on_delete=models.PROTECT, related_name="+"
    )
    quality_factors = models.JSONField(_("quality factors"), default=dict)
    lateness = models.JSONField(_("credit by days late"), default=list)
    grades = models.JSONField(_("grades"), default=list)
    disqualifiers = models.JSONField(_("disqualifiers"), default=list)
    excellent_quota_percent = models.DecimalField(
        _("excellent quota, percent of those rated good or above"), max_digits=5, decimal_places=2, default=Decimal(20)
    )
    leader_unit_share = models.DecimalField(
        _("share of a leader's task results taken from the unit's results, percent"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        verbose_name = _("KPI rules")
        verbose_name_plural = _("KPI rules")
        ordering = ["-effective_from"]

    def __str__(self):
        return self.name


class WorkItem(ChangeLoggedModel, ScopedModel):
    """A piece of work given to one person: assigned → in progress → submitted → accepted / returned."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="work_items"
    )
    organisation = models.ForeignKey(
        "units.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="work_items"
    )
    title = models.CharField(_("work"), max_length=300)
    description = models.TextField(_("details"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignee"), on_delete=models.PROTECT, related_name="work_items"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_items_given",
    )
    assigned_on = models.DateField(_("assigned on"))
    due_date = models.DateField(_("due date"), db_index=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ASSIGNED)
    product = models.ForeignKey(
        Product, verbose_name=_("expected product"), null=True, blank=True, on_delete=models.PROTECT
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=9, decimal_places=2, default=Decimal(1), validators=[MinValueValidator(Decimal(0))]
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    quality = models.CharField(_("quality"), max_length=10, choices=Quality.choices, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    times_returned = models.PositiveSmallIntegerField(_("times returned"), default=0)
    source_kind = models.CharField(_("source"), max_length=40, blank=True)
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")

    class Meta:
        verbose_name = _("work item")
        verbose_name_plural = _("work items")
        ordering = ["due_date", "pk"]
        permissions = [("accept_workitem", "Can accept or return work items")]
        indexes = [
            models.Index(fields=["assignee", "accepted_on"], name="work_item_by_person_month"),
            models.Index(fields=["assignee", "status", "due_date"], name="work_item_inbox"),
            models.Index(fields=["source_type", "source_id"], name="work_item_source"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("work:item_detail", args=[self.pk])


class WorkComment(ChangeLoggedModel, ScopedModel):
    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("comment"))

    scope_path = "item__unit__path"

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]


class WorkEvidence(ChangeLoggedModel, ScopedModel):
    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to="work/evidence/%Y/%m/")
    note = models.CharField(_("note"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    scope_path = "item__unit__path"

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["created_at"]


class MonthlyReview(ChangeLoggedModel, ScopedModel):
    """One official's month: the proposed KPI score (a scoring evaluation), the general criteria through
    self-assessment → manager → collective comment → head's approval, after which the month is frozen."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="monthly_reviews")
    period = models.CharField(_("month"), max_length=6, db_index=True)
    evaluation = models.OneToOneField(
        "scoring.Evaluation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=14, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    self_points = models.JSONField(_("self-assessed points"), default=dict, blank=True)
    manager_points = models.JSONField(_("manager's points"), default=dict, blank=True)
    self_comment = models.TextField(_("self-assessment"), blank=True)
    manager_comment = models.TextField(_("manager's comment"), blank=True)
    collective_comment = models.TextField(_("collective comment"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    scope_path = "staff__organisation__unit__path"

    class Meta:
        verbose_name = _("monthly review")
        verbose_name_plural = _("monthly reviews")
        ordering = ["-period", "staff"]
        constraints = [models.UniqueConstraint(fields=["staff", "period"], name="one_review_per_person_and_month")]

    def __str__(self):
        return f"{self.staff} — {self.period}"

    @property
    def is_frozen(self) -> bool:
        return self.status == ReviewStatus.APPROVED


class YearGrade(ChangeLoggedModel, ScopedModel):
    """The year's classification of one official: proposed from the months, decided by the head."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="year_grades")
    year = models.PositiveSmallIntegerField(_("year"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, default=Decimal(0))
    months = models.PositiveSmallIntegerField(_("months scored"), default=0)
    proposed_grade = models.CharField(_("proposed grade"), max_length=20, blank=True)
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    disqualifier = models.CharField(_("disqualifier"), max_length=40, blank=True)
    decision = models.CharField(_("decision for an exception"), max_length=200, blank=True)
    is_decided = models.BooleanField(_("decided"), default=False)

    scope_path = "staff__organisation__unit__path"

    class Meta:
        verbose_name = _("year grade")
        verbose_name_plural = _("year grades")
        ordering = ["-year", "staff"]
        constraints = [models.UniqueConstraint(fields=["staff", "year"], name="one_grade_per_person_and_year")]

    def __str__(self):
        return f"{self.staff} — {self.year}"


class ReviewEvent(ChangeLoggedModel, ScopedModel):
    """The evaluation trail: each step, reopen, decision and appeal, with who and why."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="review_events")
    period = models.CharField(_("period"), max_length=6)
    step = models.CharField(_("step"), max_length=20, choices=ReviewStep.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("note"), blank=True)

    scope_path = "staff__organisation__unit__path"

    class Meta:
        verbose_name = _("evaluation step")
        verbose_name_plural = _("evaluation steps")
        ordering = ["created_at", "pk"]


class Appeal(ChangeLoggedModel, ScopedModel):
    """An official's appeal against the score or grade of a month, a quarter or the year, and its decision."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="appeals")
    period = models.CharField(_("period"), max_length=6)
    reason = models.TextField(_("reason for the appeal"))
    status = models.CharField(_("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    new_grade = models.CharField(_("grade after re-evaluation"), max_length=20, blank=True)

    scope_path = "staff__organisation__unit__path"

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "period"],
                condition=models.Q(status="pending"),
                name="one_pending_appeal_per_period",
            )
        ]

    def __str__(self):
        return f"{self.staff} — {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("work:appeal_detail", args=[self.pk])
