"""What is reported and what is computed from it, as DHIS2 models them: data elements grouped in
data sets (reported by one level of units, each period), and indicators that are formulas over them."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tinhso.core.models import ChangeLoggedModel
from tinhso.core.scoping import resolve_permission
from tinhso.units.choices import UnitLevel

from .. import expressions
from ..choices import (
    Aggregation,
    Comparison,
    Direction,
    DisplayFormat,
    IndicatorKind,
    PeriodType,
    Pillar,
    Rounding,
    RuleImportance,
    ValueType,
)

code_validator = RegexValidator(
    r"^[A-Z0-9_]+$", _("Use capital letters without accents, digits and underscores, e.g. HT_BANGRONG.")
)


class MetadataQuerySet(models.QuerySet):
    """Definitions are the province's and shared by all its units: whoever may see them sees all."""

    def restrict(self, user, permission_or_action: str = "view", *, path: str | None = None):
        return self if user.has_perm(resolve_permission(self.model, permission_or_action)) else self.none()

    def active(self):
        return self.filter(is_active=True)


class Metadata(ChangeLoggedModel):
    code = models.CharField(_("code"), max_length=50, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = MetadataQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name


class DataElement(Metadata):
    """One figure a unit reports for a period: a number, a yes/no, a text."""

    value_type = models.CharField(_("value type"), max_length=20, choices=ValueType.choices, default=ValueType.NUMBER)
    aggregation = models.CharField(
        _("aggregation over time"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    unit_of_measure = models.CharField(_("unit of measure"), max_length=40, blank=True)
    min_value = models.DecimalField(_("smallest allowed"), max_digits=20, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("largest allowed"), max_digits=20, decimal_places=4, null=True, blank=True)

    class Meta(Metadata.Meta):
        verbose_name = _("data element")
        verbose_name_plural = _("data elements")

    def clean(self):
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            raise ValidationError({"max_value": _("The largest allowed value is below the smallest.")})

    @property
    def is_numeric(self) -> bool:
        return self.value_type != ValueType.TEXT


class DataSet(Metadata):
    """A form that units of one level fill in each period, e.g. the communes' monthly report."""

    period_type = models.CharField(_("period"), max_length=10, choices=PeriodType.choices)
    unit_level = models.CharField(_("reported by"), max_length=10, choices=UnitLevel.choices)
    due_days = models.PositiveSmallIntegerField(
        _("days to report"),
        default=10,
        validators=[MaxValueValidator(365)],
        help_text=_("A report is due this many days after its period ends."),
    )
    data_elements: models.ManyToManyField = models.ManyToManyField(
        DataElement, through="DataSetElement", related_name="data_sets", verbose_name=_("data elements")
    )

    class Meta(Metadata.Meta):
        verbose_name = _("data set")
        verbose_name_plural = _("data sets")

    def get_absolute_url(self) -> str:
        return reverse("plans:dataset_detail", args=[self.code])


class DataSetElement(models.Model):
    data_set = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="members")
    data_element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="memberships")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["data_set", "data_element"], name="unique_element_per_set")]

    def __str__(self):
        return f"{self.data_set_id}:{self.data_element_id}"


class ValidationRule(ChangeLoggedModel):
    """A check across the values of one report, e.g. villages with broadband ≤ villages (DHIS2 validation rules)."""

    data_set = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="rules")
    name = models.CharField(_("name"), max_length=255)
    left = models.CharField(_("left side"), max_length=500)
    operator = models.CharField(_("comparison"), max_length=2, choices=Comparison.choices)
    right = models.CharField(_("right side"), max_length=500)
    importance = models.CharField(
        _("importance"), max_length=10, choices=RuleImportance.choices, default=RuleImportance.BLOCKING
    )
    message = models.CharField(
        _("message"),
        max_length=255,
        blank=True,
        help_text=_("Said to the person entering the values, e.g. “Online dossiers cannot exceed those received”."),
    )

    objects = MetadataQuerySet.as_manager()

    class Meta:
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")
        ordering = ["pk"]

    def __str__(self):
        return self.name

    def clean(self):
        known = set(DataElement.objects.values_list("code", flat=True))
        for field in ("left", "right"):
            try:
                expressions.check(getattr(self, field), known, unit_figures=True)
            except ValidationError as error:
                raise ValidationError({field: error.messages}) from error

    @property
    def is_blocking(self) -> bool:
        return self.importance == RuleImportance.BLOCKING


class Indicator(Metadata):
    """A chỉ tiêu: a formula over data elements with a pillar, a direction and a display rule."""

    pillar = models.CharField(_("pillar"), max_length=20, choices=Pillar.choices)
    group = models.CharField(_("group"), max_length=80, blank=True, help_text=_("e.g. Hạ tầng số, Nhân lực số"))
    kind = models.CharField(_("kind of formula"), max_length=20, choices=IndicatorKind.choices)
    numerator = models.CharField(_("numerator"), max_length=500)
    denominator = models.CharField(_("denominator"), max_length=500, blank=True)
    factor = models.DecimalField(_("factor"), max_digits=12, decimal_places=4, default=1)
    count_level = models.CharField(
        _("units counted"), max_length=10, choices=UnitLevel.choices, blank=True, help_text=_("For unit counts.")
    )
    condition_operator = models.CharField(
        _("condition"), max_length=2, choices=Comparison.choices, default=Comparison.GREATER, blank=True
    )
    condition_value = models.DecimalField(_("condition value"), max_digits=20, decimal_places=4, default=0)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=40, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=1, validators=[MaxValueValidator(4)])
    rounding = models.CharField(_("rounding"), max_length=10, choices=Rounding.choices, default=Rounding.ROUND)
    display_format = models.CharField(
        _("display"), max_length=10, choices=DisplayFormat.choices, default=DisplayFormat.PERCENT
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0, validators=[MinValueValidator(0)])

    class Meta(Metadata.Meta):
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["pillar", "order", "code"]

    def get_absolute_url(self) -> str:
        return reverse("plans:indicator_detail", args=[self.code])

    def clean(self):
        known = set(DataElement.objects.values_list("code", flat=True))
        for field in ("numerator", "denominator"):
            text = getattr(self, field)
            if not text and field == "denominator" and self.kind != IndicatorKind.RATIO:
                continue  # totals and unit counts need no denominator (a total may show one: 15/63)
            try:
                expressions.check(text, known)
            except ValidationError as error:
                raise ValidationError({field: error.messages}) from error
        if self.kind == IndicatorKind.UNIT_COUNT and not self.count_level:
            raise ValidationError({"count_level": _("Choose which units are counted.")})

    def parsed(self, field: str) -> expressions.Node | None:
        text = getattr(self, field)
        cache = self.__dict__.setdefault("_parsed", {})
        if field not in cache:
            cache[field] = expressions.parse(text) if text else None
        return cache[field]

    def element_codes(self) -> set[str]:
        codes: set[str] = set()
        for field in ("numerator", "denominator"):
            node = self.parsed(field)
            if node is not None:
                codes |= {ref.name for ref in expressions.references(node) if ref.kind != "N"}
        return codes
