from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodType(models.TextChoices):
    """The kinds of tinhso.core.periods, as DHIS2's period types."""

    MONTHLY = "month", _("Monthly")
    QUARTERLY = "quarter", _("Quarterly")
    HALF_YEARLY = "half", _("Every six months")
    YEARLY = "year", _("Yearly")


class ValueType(models.TextChoices):
    NUMBER = "number", _("Number")
    INTEGER = "integer", _("Whole number")
    PERCENTAGE = "percentage", _("Percentage (0–100)")
    BOOLEAN = "boolean", _("Yes / no")
    TEXT = "text", _("Text")


NUMERIC_TYPES = (ValueType.NUMBER, ValueType.INTEGER, ValueType.PERCENTAGE, ValueType.BOOLEAN)


class Aggregation(models.TextChoices):
    """How a value reported for short periods makes the value of a longer one (as DHIS2's aggregationType)."""

    SUM = "sum", _("Sum of the periods (a flow: dossiers received, people trained)")
    LAST = "last", _("Value of the last period (a stock: villages with broadband)")


class Pillar(models.TextChoices):
    FOUNDATIONS = "foundations", _("Foundations: awareness, institutions, infrastructure, skills")
    GOVERNMENT = "government", _("Digital government")
    ECONOMY = "economy", _("Digital economy")
    SOCIETY = "society", _("Digital society")


class IndicatorKind(models.TextChoices):
    RATIO = "ratio", _("Numerator ÷ denominator × factor")
    TOTAL = "total", _("Numerator × factor (a denominator, if given, is only shown: 15/63)")
    UNIT_COUNT = "unit_count", _("Number of units meeting a condition, out of the units of a level (4/9)")


class DisplayFormat(models.TextChoices):
    PERCENT = "percent", _("Percentage (98,8%)")
    NUMBER = "number", _("Number (1.356)")
    FRACTION = "fraction", _("Fraction (4/9)")


class Rounding(models.TextChoices):
    ROUND = "round", _("Round half up")
    TRUNCATE = "truncate", _("Truncate (as in “over 72%”)")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Comparison(models.TextChoices):
    GREATER = ">", _("greater than")
    GREATER_OR_EQUAL = ">=", _("at least")
    EQUAL = "==", _("equal to")
    LESS_OR_EQUAL = "<=", _("at most")
    LESS = "<", _("less than")


class RuleImportance(models.TextChoices):
    BLOCKING = "blocking", _("Blocking: the values are refused")
    WARNING = "warning", _("Warning: shown, the report may still be submitted")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for correction")


EDITABLE_REPORT_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)
REPORTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


class TaskKind(models.TextChoices):
    KEY_TASK = "key_task", _("Key task")
    MODEL = "model", _("Model")
    PROJECT = "project", _("Project")
    SOLUTION_GROUP = "solution_group", _("Solution group")


class TaskStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_TASK_STATUSES = (TaskStatus.IN_PROGRESS,)


class BudgetSource(models.TextChoices):
    CENTRAL = "central", _("Central state budget")
    PROVINCIAL = "provincial", _("Provincial budget")
    LOCAL = "local", _("District or commune budget")
    RECURRENT = "recurrent", _("Recurrent spending of the agency")
    ENTERPRISE = "enterprise", _("Enterprises and socialised funds")
    OTHER = "other", _("Other sources")


class TaskEventKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder: due in 7 days")
    OVERDUE = "overdue", _("Became overdue")
