"""Builders for tests of plans (and of modules that read its figures): data sets, indicators, reports."""

import datetime

from tinhso.core.context import acting_as

from . import services
from .choices import Aggregation, DisplayFormat, IndicatorKind, PeriodType, Pillar, ReportStatus, Rounding, ValueType
from .models import DataElement, DataSet, DataSetElement, Indicator, Plan, Report


def make_data_set(code: str, period_type: str, level: str, elements: list, *, due_days: int = 10) -> DataSet:
    """`elements`: (code, name[, value type[, aggregation]]) in the order of the form."""
    data_set = DataSet.objects.create(
        code=code, name=f"Báo cáo {code}", period_type=period_type, unit_level=level, due_days=due_days
    )
    for order, spec in enumerate(elements):
        code, name, value_type, aggregation = (*spec, ValueType.INTEGER, Aggregation.SUM)[:4]
        element, _created = DataElement.objects.get_or_create(
            code=code, defaults={"name": name, "value_type": value_type, "aggregation": aggregation}
        )
        DataSetElement.objects.create(data_set=data_set, data_element=element, order=order)
    return data_set


def make_plan(unit, number: str = "80/KH-UBND", year: int = 2024) -> Plan:
    return Plan.objects.create(
        unit=unit,
        number=number,
        title=f"Kế hoạch chuyển đổi số năm {year}",
        issued_on=datetime.date(year, 3, 27),
        start_date=datetime.date(year, 1, 1),
        end_date=datetime.date(year, 12, 31),
    )


def make_indicator(code: str, numerator: str, denominator: str = "", **fields) -> Indicator:
    defaults = {
        "name": code,
        "pillar": Pillar.FOUNDATIONS,
        "kind": IndicatorKind.RATIO if denominator else IndicatorKind.TOTAL,
        "factor": 100 if denominator else 1,
        "display_format": DisplayFormat.PERCENT if denominator else DisplayFormat.NUMBER,
        "decimals": 1,
        "rounding": Rounding.ROUND,
    }
    return Indicator.objects.create(code=code, numerator=numerator, denominator=denominator, **{**defaults, **fields})


def report(data_set: DataSet, unit, period: str, entries: dict, *, status: str = ReportStatus.APPROVED) -> Report:
    """A report of `unit` with `entries` {code: value}, taken through the workflow up to `status`."""
    with acting_as(None, source="test"):
        opened = services.open_report(data_set, unit, period, actor=None)
        services.save_report_values(
            opened, {code: (value, "") for code, value in entries.items()}, actor=None, localized=False
        )
        if status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.RETURNED):
            services.submit_report(opened, actor=None)
        if status == ReportStatus.APPROVED:
            services.approve_report(opened, actor=None)
        if status == ReportStatus.RETURNED:
            services.return_report(opened, actor=None, reason="Sai số liệu")
    opened.refresh_from_db()
    return opened


AFTER_REFORM = datetime.date(2025, 8, 1)
BEFORE_REFORM = datetime.date(2024, 6, 1)
MONTHLY, QUARTERLY, YEARLY = PeriodType.MONTHLY, PeriodType.QUARTERLY, PeriodType.YEARLY
