"""Keeping RollupValue in step with approvals: added when a report is approved, taken away when
it is returned, in the same transaction. `rebuild` recomputes everything (seed, benchmark, repair)."""

from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F

from tinhso.units.choices import LEVEL_DEPTH

from .choices import ReportStatus
from .models import DataValue, Report, RollupValue


def _numbers(report: Report) -> list[tuple[int, Decimal]]:
    return list(report.values.filter(number__isnull=False).values_list("data_element_id", "number"))


def apply(report: Report, sign: int = 1) -> None:
    """Add (sign=1) or remove (sign=-1) a report's numeric values to the roll-ups of its ancestors."""
    ancestors = report.unit.ancestor_ids
    numbers = _numbers(report)
    if not ancestors or not numbers:
        return
    RollupValue.objects.bulk_create(
        [
            RollupValue(unit_id=unit_id, data_element_id=element_id, period=report.period)
            for unit_id in ancestors
            for element_id, _number in numbers
        ],
        ignore_conflicts=True,
    )
    for element_id, number in numbers:
        RollupValue.objects.filter(unit_id__in=ancestors, data_element_id=element_id, period=report.period).update(
            total=F("total") + sign * number, count=F("count") + sign
        )
    if sign < 0:
        RollupValue.objects.filter(unit_id__in=ancestors, period=report.period, count=0).delete()


def remove(report: Report) -> None:
    apply(report, sign=-1)


LEVEL_STEP = """
INSERT INTO plans_rollupvalue (unit_id, data_element_id, period, total, count)
SELECT unit.parent_id, part.data_element_id, part.period, SUM(part.total), SUM(part.count)
FROM (
    SELECT value.unit_id, value.data_element_id, value.period, value.number AS total, 1 AS count
    FROM plans_datavalue value JOIN plans_report report ON report.id = value.report_id
    WHERE report.status = %s AND value.number IS NOT NULL {value_filter}
    UNION ALL
    SELECT rollup.unit_id, rollup.data_element_id, rollup.period, rollup.total, rollup.count
    FROM plans_rollupvalue rollup WHERE 1 = 1 {rollup_filter}
) part
JOIN units_unit unit ON unit.id = part.unit_id
WHERE unit.depth = %s AND unit.parent_id IS NOT NULL
GROUP BY unit.parent_id, part.data_element_id, part.period
ON CONFLICT (unit_id, period, data_element_id)
DO UPDATE SET total = plans_rollupvalue.total + excluded.total, count = plans_rollupvalue.count + excluded.count
"""


@transaction.atomic
def rebuild(periods: list[str] | None = None) -> int:
    """Recompute roll-ups from approved values, level by level from the villages up."""
    stale = RollupValue.objects.all()
    if periods:
        stale = stale.filter(period__in=periods)
    stale.delete()
    value_filter = rollup_filter = ""
    extra: list = []
    if periods:
        marks = ", ".join(["%s"] * len(periods))
        value_filter, rollup_filter = f"AND value.period IN ({marks})", f"AND rollup.period IN ({marks})"
        extra = list(periods)
    sql = LEVEL_STEP.format(value_filter=value_filter, rollup_filter=rollup_filter)
    with connection.cursor() as cursor:
        for depth in sorted(set(LEVEL_DEPTH.values()), reverse=True):
            cursor.execute(sql, [ReportStatus.APPROVED, *extra, *extra, depth])
    kept = RollupValue.objects.all()
    return (kept.filter(period__in=periods) if periods else kept).count()


def approved_values():
    return DataValue.objects.filter(report__status=ReportStatus.APPROVED, number__isnull=False)
