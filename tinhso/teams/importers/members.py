"""Import team members from Excel or CSV (10,000+ rows): every row is checked first; if any row is
wrong nothing is written and every bad row is reported with its reason. The checked rows are written
by the service (`services.add_members_in_bulk`); the page and the API start the import as a job
(`services.start_member_import`)."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.access import unit_scope
from tinhso.accounts.models import PHONE_PATTERN, normalise_phone
from tinhso.core.imports import ImportRejected, RowError, cell_date, read_table
from tinhso.core.text import fold, short_date
from tinhso.units.snapshot import snapshot_on

from ..choices import Gender, MemberRole, ethnic_code
from ..models import Member, Person, Team
from ..services import add_members_in_bulk, people_with_phones

COLUMNS = {
    "unit_code": ("Mã đơn vị", "Mã thôn", "Mã xã", "Mã thôn/xã", "unit code", "unit_code"),
    "full_name": ("Họ và tên", "Họ tên", "full name", "full_name", "name"),
    "phone": ("Số điện thoại", "Điện thoại", "SĐT", "phone"),
    "gender": ("Giới tính", "gender"),
    "ethnicity": ("Dân tộc", "ethnicity", "ethnic group"),
    "birth_year": ("Năm sinh", "birth year", "birth_year"),
    "role": ("Chức danh", "Vai trò", "role"),
    "skills": ("Kỹ năng số", "Kỹ năng", "skills"),
    "joined_on": ("Ngày tham gia", "joined on", "joined_on"),
}
REQUIRED = ("unit_code", "full_name", "gender", "ethnicity")
CHUNK = 1000  # rows written between two progress reports
GENDER_WORDS = {
    "nam": Gender.MALE,
    "male": Gender.MALE,
    "m": Gender.MALE,
    "nu": Gender.FEMALE,
    "female": Gender.FEMALE,
    "f": Gender.FEMALE,
}
ROLE_WORDS = {
    "to truong": MemberRole.LEADER,
    "leader": MemberRole.LEADER,
    "to pho": MemberRole.DEPUTY,
    "deputy": MemberRole.DEPUTY,
    "thanh vien": MemberRole.MEMBER,
    "member": MemberRole.MEMBER,
    "": MemberRole.MEMBER,
}


@dataclass
class MemberPlan:
    """What one valid row will create."""

    row: int
    team: Team
    person_key: str
    person: dict
    role: str
    joined_on: datetime.date


@dataclass
class Known:
    """Everything rows are checked against, loaded once before the first row."""

    day: datetime.date
    teams: dict[str, Team]
    people_by_phone: dict[str, Person]
    active: set[tuple[int, int]]
    leaders: set[int]
    seen: dict[tuple[int, str], int] = field(default_factory=dict)
    names_by_phone: dict[str, str] = field(default_factory=dict)


def import_members(uploaded, *, actor, progress=None, day: datetime.date | None = None) -> dict:
    rows = read_table(uploaded, COLUMNS, required=REQUIRED)
    plans = validate_rows(rows, actor=actor, day=day or timezone.localdate(), progress=progress)
    return write_members(plans, actor=actor, progress=progress)


def validate_rows(rows: list[dict], *, actor, day: datetime.date, progress=None) -> list[MemberPlan]:
    known = _load(rows, actor, day)
    errors: list[RowError] = []
    plans = []
    for index, row in enumerate(rows, start=1):
        row_errors, plan = _check_row(row, known)
        errors += row_errors
        if plan:
            plans.append(plan)
        if progress and index % 500 == 0:
            progress(index, len(rows) * 2, _("Checking row %(row)d") % {"row": index})
    if errors:
        raise ImportRejected(errors)
    return plans


def _load(rows: list[dict], actor, day: datetime.date) -> Known:
    structure = snapshot_on(day)
    scope = unit_scope(actor, "teams.add_member") if actor is not None else None
    teams = {}
    for team in Team.objects.active_on(day).select_related("unit"):
        place = structure.representative(team.unit_id)
        if place is not None and (scope is None or scope.covers(team.unit.path)):
            teams[place.code] = team
    phones = {normalise_phone(str(row.get("phone") or "")) for row in rows} - {None, ""}
    people = {person.phone: person for person in people_with_phones(phones)}
    active = Member.objects.active_on(day).filter(team__in=list(teams.values()))
    pairs = set(active.values_list("team_id", "person_id"))
    leaders = set(active.filter(role=MemberRole.LEADER, left_on__isnull=True).values_list("team_id", flat=True))
    return Known(day=day, teams=teams, people_by_phone=people, active=pairs, leaders=leaders)


def _check_row(row: dict, known: Known) -> tuple[list[RowError], MemberPlan | None]:
    errors: list[RowError] = []

    def error(column: str, message: str) -> None:
        errors.append(RowError(row=row["_row"], column=COLUMNS[column][0], message=message))

    team = _team(row, known, error)
    person = _person(row, known, error)
    role = ROLE_WORDS.get(fold(str(row.get("role") or "")))
    if role is None:
        error("role", _("Unknown role “%(role)s”: use Tổ trưởng, Tổ phó or Thành viên.") % {"role": row.get("role")})
    joined_on = cell_date(row.get("joined_on"), known.day)
    if joined_on is None:
        error("joined_on", _("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": row.get("joined_on")})
    if errors or team is None or person is None or role is None or joined_on is None:
        return errors, None
    _check_membership(team, person, role, joined_on, known, error)
    if errors:
        return errors, None
    key = person["phone"] or f"row-{row['_row']}"
    return [], MemberPlan(row["_row"], team, key, person, role, joined_on)


def _team(row: dict, known: Known, error) -> Team | None:
    code = str(row.get("unit_code") or "").strip()
    team = known.teams.get(code)
    if team is None:
        error(
            "unit_code",
            _("No active team of a commune or village with code “%(code)s” within your units on %(date)s.")
            % {"code": code, "date": short_date(known.day)},
        )
    return team


def _person(row: dict, known: Known, error) -> dict | None:
    name = " ".join(str(row.get("full_name") or "").split())
    if not name:
        error("full_name", _("The name is empty."))
    elif len(name) > 150:
        error("full_name", _("The name is longer than 150 characters."))
    phone = _phone(row, known, name, error)
    gender = GENDER_WORDS.get(fold(str(row.get("gender") or "")))
    if gender is None:
        error("gender", _("Unknown gender “%(value)s”: use Nam or Nữ.") % {"value": row.get("gender")})
    ethnicity = ethnic_code(row.get("ethnicity"))
    if ethnicity is None:
        error("ethnicity", _("Unknown ethnic group “%(value)s”.") % {"value": row.get("ethnicity")})
    birth_year = _birth_year(row, known.day, error)
    skills = str(row.get("skills") or "").strip()[:300]
    return {
        "full_name": name,
        "phone": phone,
        "gender": gender,
        "ethnicity": ethnicity,
        "birth_year": birth_year,
        "skills": skills,
    }


def _phone(row: dict, known: Known, name: str, error) -> str | None:
    raw = str(row.get("phone") or "").strip()
    phone = normalise_phone(raw)
    if raw and (phone is None or not PHONE_PATTERN.match(phone)):
        error(
            "phone",
            _("“%(value)s” is not a Vietnamese phone number (10 or 11 digits starting with 0).") % {"value": raw},
        )
        return None
    if not phone:
        return None
    owner = known.people_by_phone.get(phone)
    owner_name = owner.full_name if owner else known.names_by_phone.setdefault(phone, name)
    if name and fold(owner_name) != fold(name):
        error("phone", _("Phone number %(phone)s belongs to %(name)s.") % {"phone": phone, "name": owner_name})
    return phone


def _birth_year(row: dict, day: datetime.date, error) -> int | None:
    value = str(row.get("birth_year") or "").strip()
    if not value:
        return None
    if not value.isdigit() or not 1920 <= int(value) <= day.year - 15:
        error(
            "birth_year",
            _("“%(value)s” is not a year of birth between 1920 and %(last)d.")
            % {"value": value, "last": day.year - 15},
        )
        return None
    return int(value)


def _check_membership(team: Team, person: dict, role: str, joined_on: datetime.date, known: Known, error) -> None:
    if joined_on < team.founded_on or joined_on > known.day:
        error(
            "joined_on",
            _("The joining date must be between the team's founding (%(start)s) and today.")
            % {"start": short_date(team.founded_on)},
        )
    existing = known.people_by_phone.get(person["phone"] or "")
    if existing is not None and (team.pk, existing.pk) in known.active:
        error("phone", _("%(name)s is already a member of %(team)s.") % {"name": existing.full_name, "team": team.name})
    if person["phone"]:
        earlier = known.seen.setdefault((team.pk, person["phone"]), 0)
        known.seen[(team.pk, person["phone"])] = earlier + 1
        if earlier:
            error("phone", _("This person appears twice for the same team."))
    if role == MemberRole.LEADER:
        if team.pk in known.leaders:
            error("role", _("%(team)s already has a leader.") % {"team": team.name})
        known.leaders.add(team.pk)


def write_members(plans: list[MemberPlan], *, actor=None, progress=None) -> dict:
    """Write the checked rows through the service (people found by phone or created, members added)."""
    total = add_members_in_bulk(plans, actor=actor, progress=progress)
    return {"created": total, "message": _("%(count)d members imported.") % {"count": total}}


def template_workbook() -> bytes:
    """An empty import file with the expected headers and two example rows."""
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Thanh vien"
    sheet.append([spellings[0] for spellings in COLUMNS.values()])
    sheet.append(
        [
            "04441-01",
            "Giàng A Páo",
            "0912345678",
            "Nam",
            "H'Mông",
            1988,
            "Tổ trưởng",
            "VNeID, Dịch vụ công trực tuyến",
            "01/03/2024",
        ]
    )
    sheet.append(["04441", "Lò Thị Ún", "", "Nữ", "Thái", 1995, "Thành viên", "Thanh toán số", ""])
    for column in "ABCDEFGHI":
        sheet.column_dimensions[column].width = 22
    output = BytesIO()
    book.save(output)
    return output.getvalue()
