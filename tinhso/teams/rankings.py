"""Rankings of teams by their evaluation, within a commune, a district or the province, under the
administrative structure of the day the user chose (teams are mapped across reorganisations).

Ranks are computed over every team of the period, then only the rows the user may see are shown,
so that a commune officer sees the true provincial rank of their villages' teams.
"""

from dataclasses import dataclass

from tinhso.accounts.access import unit_scope
from tinhso.scoring.models import Evaluation
from tinhso.scoring.rules import competition_ranks
from tinhso.units.snapshot import UnitSnapshot, UnitVersion

from .indices import SUBJECT_KINDS

GROUP_LEVELS = ("commune", "district", "province")


@dataclass
class RankedRow:
    evaluation_id: int
    team_id: int
    label: str
    place: UnitVersion | None
    group: UnitVersion | None
    total: object
    percent: object
    classification: str
    status: str
    unit_path: str = ""
    rank: int = 0
    group_size: int = 0


def periods_with_scores(level: str) -> list[str]:
    found = Evaluation.objects.filter(criteria_set__subject_kind=SUBJECT_KINDS[level])
    return list(found.values_list("period", flat=True).distinct().order_by("-period"))


def ranked_rows(level: str, period: str, group_level: str, structure: UnitSnapshot) -> list[RankedRow]:
    fields = ("id", "subject_id", "subject_label", "unit_id", "total", "percent", "classification", "status")
    evaluations = Evaluation.objects.filter(criteria_set__subject_kind=SUBJECT_KINDS[level], period=period)
    rows = []
    for pk, team_id, label, unit_id, total, percent, classification, status in evaluations.values_list(*fields):
        place = structure.representative(unit_id)
        group = structure.ancestor_at(place.id, group_level) if place is not None else None
        own = structure.units.get(unit_id)
        row = RankedRow(
            pk, team_id, label, place, group, total, percent, classification, status, own.path if own else ""
        )
        rows.append(row)
    _rank(rows)
    return rows


def _rank(rows: list[RankedRow]) -> None:
    groups: dict[int | None, dict[int, object]] = {}
    for row in rows:
        groups.setdefault(row.group.id if row.group else None, {})[row.evaluation_id] = row.total
    ranks = {}
    for totals in groups.values():
        ranks.update(competition_ranks(totals))
    for row in rows:
        row.rank = ranks[row.evaluation_id]
        row.group_size = len(groups[row.group.id if row.group else None])


def visible_rows(rows: list[RankedRow], user, structure: UnitSnapshot, within: UnitVersion | None) -> list[RankedRow]:
    scope = unit_scope(user, "scoring.view_evaluation")
    shown = [
        row
        for row in rows
        if scope.covers(row.unit_path)
        and (within is None or (row.place is not None and row.place.path.startswith(within.path)))
    ]
    return sorted(shown, key=lambda row: (row.group.name if row.group else "", row.rank, row.label))
