"""Criteria sets, criteria, evaluations and scores: DTI-style scoring shared by the modules."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tinhso.core.files import UnguessableName
from tinhso.core.models import ChangeLoggedModel, ScopedModel
from tinhso.core.periods import parse_period

from .choices import DEFAULT_CLASSIFICATION, EvaluationStatus, Rule, Source, VerifyingLevel


def default_classification() -> list[dict]:
    return [dict(band) for band in DEFAULT_CLASSIFICATION]


class CriteriaSet(ChangeLoggedModel, ScopedModel):
    """A versioned set of criteria (bộ chỉ số / bộ tiêu chí) for one kind of subject."""

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    subject_kind = models.CharField(_("subject kind"), max_length=60, db_index=True)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="criteria_sets"
    )
    first_period = models.CharField(_("first period"), max_length=10)
    last_period = models.CharField(
        _("last period"), max_length=10, blank=True, help_text=_("Empty while the set is in force.")
    )
    verifying_level = models.CharField(
        _("verified by"), max_length=10, choices=VerifyingLevel.choices, default=VerifyingLevel.PROVINCE
    )
    classification = models.JSONField(_("classification"), default=default_classification)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["subject_kind", "-first_period", "code"]
        constraints = [models.UniqueConstraint(fields=["code", "first_period"], name="criteria_set_version")]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("scoring:criteriaset_detail", args=[self.pk])

    def applies_to(self, period: str) -> bool:
        target = parse_period(period).start
        if target < parse_period(self.first_period).start:
            return False
        return not self.last_period or target <= parse_period(self.last_period).end

    @property
    def max_total(self) -> Decimal:
        return sum((c.max_points for c in self.criteria.all() if c.parent_id is None), Decimal(0))

    def periods_label(self) -> str:
        return f"{self.first_period} – {self.last_period or '…'}"


class Criterion(ChangeLoggedModel, ScopedModel):
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.CASCADE, related_name="criteria"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("group"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    max_points = models.DecimalField(_("maximum points"), max_digits=7, decimal_places=2)
    rule = models.CharField(_("scoring rule"), max_length=10, choices=Rule.choices, default=Rule.MANUAL)
    thresholds = models.JSONField(
        _("thresholds"),
        default=list,
        blank=True,
        help_text=_("For stepped rules: pairs of “at least” value and points, e.g. 90 → 10, 80 → 8."),
    )
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    source = models.CharField(_("data source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    source_key = models.CharField(
        _("source key"), max_length=80, blank=True, help_text=_("The indicator code, or the key of the computed value.")
    )
    evidence_source = models.CharField(
        _("evidence source"),
        max_length=200,
        blank=True,
        help_text=_("Which data the points are judged on, e.g. the national e-ID register."),
    )
    guidance = models.TextField(_("guidance"), blank=True)

    scope_path = "criteria_set__unit__path"

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_code_per_set")]

    def __str__(self):
        return f"{self.code}. {self.name}"

    @property
    def is_group(self) -> bool:
        return any(True for _child in self.children.all())


class Evaluation(ChangeLoggedModel, ScopedModel):
    """The score of one subject (a team, a commune, a department...) for one period."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.PROTECT, related_name="evaluations"
    )
    period = models.CharField(_("period"), max_length=10, db_index=True)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_label = models.CharField(_("evaluated"), max_length=200)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="evaluations"
    )
    total = models.DecimalField(_("total points"), max_digits=8, decimal_places=2, default=Decimal(0))
    max_total = models.DecimalField(_("maximum"), max_digits=8, decimal_places=2, default=Decimal(0))
    percent = models.DecimalField(_("percent of maximum"), max_digits=5, decimal_places=2, default=Decimal(0))
    classification = models.CharField(_("classification"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["criteria_set", "period", "-total"]
        permissions = [("verify_evaluation", "Can verify evaluations")]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "period", "subject_type", "subject_id"],
                name="one_evaluation_per_subject_and_period",
            )
        ]
        indexes = [models.Index(fields=["criteria_set", "period", "total"], name="evaluation_ranking_idx")]

    def __str__(self):
        return f"{self.subject_label} — {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("scoring:evaluation_detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status == EvaluationStatus.VERIFIED


class Score(ChangeLoggedModel, ScopedModel):
    """Points for one criterion of one evaluation, with the inputs that gave them."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(_("numerator"), max_digits=14, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), max_digits=14, decimal_places=4, null=True, blank=True)
    answer = models.BooleanField(_("answer"), null=True, blank=True)
    entered_points = models.DecimalField(_("entered points"), max_digits=7, decimal_places=2, null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2, default=Decimal(0))
    recorded_at = models.DateTimeField(
        _("evidence recorded at"),
        null=True,
        blank=True,
        help_text=_("When the data the points were judged on was last recorded at its source."),
    )
    evidence_note = models.CharField(
        _("evidence"), max_length=300, blank=True, help_text=_("Document number, title and date.")
    )
    evidence_file = models.FileField(_("evidence file"), upload_to=UnguessableName("scoring/evidence"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "evaluation__unit__path"

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["evaluation", "criterion__order", "criterion__code"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "criterion"], name="one_score_per_criterion")]

    def __str__(self):
        return f"{self.criterion.code}: {self.points}"

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_note or self.evidence_file)
