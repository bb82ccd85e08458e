"""The validation-violations list approvers read: for the reports in their scope, every rule the values
break, computed by the same function that judges a report on submission (services.report_violations)."""

from dataclasses import dataclass
from decimal import Decimal

from .choices import RuleImportance
from .models import Report


@dataclass(frozen=True)
class Row:
    report: Report
    rule: object
    importance: str
    left_value: Decimal | None
    right_value: Decimal | None
    message: str


def violations(reports, importance: str = "") -> list[Row]:
    """Each broken rule of each report of `reports` (already scoped), blocking first per report."""
    from .services import report_violations

    rows = []
    queryset = reports.select_related("unit", "data_set").prefetch_related("data_set__rules")
    for report in queryset.order_by("-period", "unit__path", "data_set__code"):
        for violation in report_violations(report):
            level = RuleImportance.BLOCKING if violation.blocking else RuleImportance.WARNING
            if importance and importance != level:
                continue
            rows.append(
                Row(report, violation.rule, level, violation.left_value, violation.right_value, violation.message)
            )
    return rows
