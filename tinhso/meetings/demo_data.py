"""Demo: a year of monthly meetings of the Xuân Ái party cells and of the commune People's Committee, with
notices, attendance, minutes, resolutions and tasks; next month's cell meeting planned with its documents
(one confidential); and the handbook rollout whose totals are the seeds' figures exactly:
1.292 of 2.910 cells (44,4%: 1.193 subordinate, 99 grassroots), 28.239 of 50.772 accounts (55,6%), 6 party
organisations. `bithu.xuanai` is the secretary of the first cell."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from tinhso.accounts.demo import demo_password_hash
from tinhso.accounts.models import User
from tinhso.core.changelog import log_bulk_create
from tinhso.core.context import acting_as
from tinhso.units.models import Unit
from tinhso.work.models import StaffMember

from . import services
from .choices import AttendanceStatus, CellKind, CheckinMethod, MeetingStatus, NoticeState, RecordKind
from .models import (
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    CellRollout,
    Meeting,
    Notice,
    PartyOrganisation,
    Record,
)

SINCE = datetime.date(2024, 1, 1)
CELL_AGENDA = [
    ("Đánh giá kết quả thực hiện nghị quyết tháng", "Bí thư chi bộ"),
    ("Sinh hoạt chuyên đề: chuyển đổi số ở thôn", "Đảng viên phụ trách"),
    ("Phương hướng, nhiệm vụ tháng tới", "Bí thư chi bộ"),
]
COMMITTEE_AGENDA = [
    ("Báo cáo tình hình kinh tế - xã hội tháng", "Chủ tịch UBND xã"),
    ("Tiến độ chuyển đổi số, dịch vụ công trực tuyến", "Công chức phụ trách chuyển đổi số"),
    ("Kết luận, giao nhiệm vụ", "Chủ tịch UBND xã"),
]
TASKS = [
    ("Vận động hộ gia đình cài đặt và kích hoạt VNeID", "Danh sách hộ đã kích hoạt", "Tổ công nghệ số cộng đồng"),
    ("Hướng dẫn người dân nộp hồ sơ trực tuyến", "Số hồ sơ trực tuyến tăng 10%", "Bộ phận một cửa"),
    ("Rà soát danh sách hộ nghèo trên hệ thống", "Danh sách rà soát đã cập nhật", "Trưởng thôn"),
    ("Tuyên truyền thanh toán không dùng tiền mặt", "3 buổi tuyên truyền tại thôn", "Hội Phụ nữ xã"),
]
FIRST_NAMES = ["Hoàng", "Lý", "Bàn", "Triệu", "Đặng", "Sìn", "Vàng", "Giàng", "Lò", "Hà", "Nguyễn", "Trần"]
GIVEN = ["Văn Minh", "Thị Hoa", "Văn Tuấn", "Thị Lan", "Văn Hùng", "Thị Mai", "Văn Phong", "Thị Hằng", "Văn Sáng"]
# (name, cells, deployed subordinate, deployed grassroots, grassroots cells)
ORGANISATIONS = [
    ("DB-CQD", "Đảng bộ các cơ quan Đảng tỉnh", 412, 201, 18, 22),
    ("DB-UBND", "Đảng bộ Ủy ban nhân dân tỉnh", 538, 262, 21, 27),
    ("DB-CA", "Đảng bộ Công an tỉnh", 366, 214, 15, 19),
    ("DB-QS", "Đảng bộ Quân sự tỉnh", 298, 168, 12, 15),
    ("DB-XA", "Đảng bộ các xã khu vực Văn Yên", 702, 187, 17, 25),
    ("DB-PH", "Đảng bộ các phường, xã khu vực Yên Bái", 594, 161, 16, 21),
]
CELLS, DEPLOYED, MEMBERS, ACCOUNTS = 2910, 1292, 50772, 28239
DEPLOYED_MEMBERS = 31008  # deployed cells are the larger ones: the rest sit in cells not yet deployed


def seed(stdout=None) -> None:
    today = timezone.localdate()
    commune = Unit.objects.valid_on(today).filter(code="04441", level="commune").first()
    province = Unit.objects.valid_on(today).filter(level="province").order_by("path").first()
    if commune is None or province is None or Body.objects.filter(unit__code__startswith="04441").exists():
        return
    with acting_as(None, source="command"), transaction.atomic():
        chance = random.Random(12)
        password = demo_password_hash()
        villages = list(Unit.objects.valid_on(today).filter(path__startswith=commune.path, level="village")[:3])
        staff = list(
            StaffMember.objects.filter(user__username__endswith=".xuanai").select_related("user").order_by("pk")
        )
        cells = [_cell(village, index, password, staff, chance) for index, village in enumerate(villages)]
        bodies = [*cells]
        if staff:
            bodies.append(_committee(commune, staff))
        for body in bodies:
            _year(body, today, staff, chance)
        if cells:
            _next_meeting(cells[0], today)
        seed_rollout(province)
    if stdout:
        stdout.write("  meetings: a year of Xuân Ái cell and People's Committee meetings; handbook rollout\n")


def _user(username: str, full_name: str, password: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, password=password)
        user.save()
    return user


def _cell(village: Unit, index: int, password: str, staff, chance) -> Body:
    cell = Body.objects.create(
        unit=village,
        name=f"Chi bộ {village.name}",
        kind="party_cell",
        quorum_numerator=1,
        quorum_denominator=2,
        quorum_comparison="more_than",
        default_title="Sinh hoạt chi bộ định kỳ",
        default_place=f"Nhà văn hóa {village.name}",
        default_start=datetime.time(19, 30),
        default_minutes=120,
        default_agenda="\n".join(title for title, _presenter in CELL_AGENDA),
    )
    secretary = (
        _user("bithu.xuanai", "Bàn Văn Thắng", password)
        if index == 0
        else _user(f"bithu{index + 1}.xuanai", f"{FIRST_NAMES[index]} Văn Bình", password)
    )
    people = [(secretary, "secretary")]
    for number in range(9):
        name = f"{FIRST_NAMES[(number + index) % len(FIRST_NAMES)]} {GIVEN[(number * 2 + index) % len(GIVEN)]}"
        people.append((_user(f"dangvien{index + 1}{number + 1:02d}.xuanai", name, password), "member"))
    if index == 0 and staff:
        people += [(member.user, "member") for member in staff[2:4]]  # two officials live in this village
    members = [
        BodyMember(body=cell, user=user, role=role, valid_from=SINCE, member_number=f"{index + 1}{n + 1:03d}")
        for n, (user, role) in enumerate(people)
    ]
    log_bulk_create(BodyMember.objects.bulk_create(members))
    return cell


def _committee(commune: Unit, staff) -> Body:
    body = Body.objects.create(
        unit=commune,
        name="Ủy ban nhân dân xã Xuân Ái",
        kind="peoples_committee",
        quorum_numerator=2,
        quorum_denominator=3,
        quorum_comparison="at_least",
        default_title="Phiên họp thường kỳ UBND xã",
        default_place="Hội trường UBND xã",
        default_start=datetime.time(8),
        default_minutes=180,
        default_agenda="\n".join(title for title, _presenter in COMMITTEE_AGENDA),
    )
    roles = ["chair", "secretary"] + ["member"] * (len(staff) - 2)
    members = [
        BodyMember(body=body, user=member.user, role=role, valid_from=SINCE, member_number=f"UB{n + 1:02d}")
        for n, (member, role) in enumerate(zip(staff, roles, strict=False))
    ]
    log_bulk_create(BodyMember.objects.bulk_create(members))
    return body


def _months(today: datetime.date, count: int) -> list[tuple[int, int]]:
    months, year, month = [], today.year, today.month
    for _step in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append((year, month))
    return list(reversed(months))


def _year(body: Body, today: datetime.date, staff, chance: random.Random) -> None:
    """Twelve past monthly meetings, each closed with notices, attendance, minutes, resolution and tasks."""
    is_cell = body.kind == "party_cell"
    members = list(body.members.select_related("user"))
    owners = [m.user for m in members if StaffMember.objects.filter(user=m.user).exists()]
    months = _months(today, 12)
    for year, month in months:
        day = datetime.date(year, month, 3 if is_cell else 25)
        # the secretary's cell left last month's meeting open: minutes drafted, nothing published (the home card)
        left_open = (
            is_cell and body.members.filter(user__username="bithu.xuanai").exists() and (year, month) == months[-1]
        )
        start = timezone.make_aware(datetime.datetime.combine(day, body.default_start))
        meeting = Meeting(
            body=body,
            title=f"{body.default_title} tháng {month}/{year}",
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=body.default_minutes),
            place=body.default_place,
            status=MeetingStatus.PLANNED if left_open else MeetingStatus.CLOSED,
            closed_at=None if left_open else start + datetime.timedelta(days=1),
        )
        meeting.save()
        agenda = [
            AgendaItem(meeting=meeting, order=n + 1, title=title, presenter=presenter)
            for n, (title, presenter) in enumerate(CELL_AGENDA if is_cell else COMMITTEE_AGENDA)
        ]
        log_bulk_create(AgendaItem.objects.bulk_create(agenda))
        notices, attendance = [], []
        for member in members:
            roll = chance.random()
            status = (
                AttendanceStatus.PRESENT
                if roll < 0.8
                else AttendanceStatus.LATE
                if roll < 0.87
                else AttendanceStatus.EXCUSED
                if roll < 0.96
                else AttendanceStatus.ABSENT
            )
            state = NoticeState.EXCUSED if status == AttendanceStatus.EXCUSED else NoticeState.CONFIRMED
            if status == AttendanceStatus.ABSENT:
                state = NoticeState.READ if chance.random() < 0.5 else NoticeState.DELIVERED
            notices.append(Notice(meeting=meeting, user=member.user, revision=0, state=state))
            method = CheckinMethod.QR if chance.random() < 0.6 else CheckinMethod.SECRETARY
            reason = "Đi làm ăn xa" if status == AttendanceStatus.EXCUSED else ""
            attendance.append(
                Attendance(meeting=meeting, user=member.user, status=status, reason=reason, method=method, at=start)
            )
        log_bulk_create(Notice.objects.bulk_create(notices))
        log_bulk_create(Attendance.objects.bulk_create(attendance))
        present = sum(1 for a in attendance if a.status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE))
        number = f"{month:02d}-NQ/CB" if is_cell else f"{month:02d}/NQ-UBND"
        records = [
            Record(
                meeting=meeting,
                kind=RecordKind.MINUTES,
                text=f"Có mặt {present}/{len(members)} đồng chí. Hội nghị thảo luận các nội dung theo chương trình.",
                published=True,
                published_at=start + datetime.timedelta(days=1),
            ),
            Record(
                meeting=meeting,
                kind=RecordKind.RESOLUTION,
                number=number,
                text="Thống nhất các nhiệm vụ trọng tâm tháng tới; giao nhiệm vụ cụ thể theo “5 rõ”.",
                published=True,
                published_at=start + datetime.timedelta(days=1),
            ),
        ]
        if left_open:
            records = records[:1]
            records[0].published, records[0].published_at = False, None
        log_bulk_create(Record.objects.bulk_create(records))
        if owners and not left_open:
            title, output, coordination = TASKS[month % len(TASKS)]
            services.add_decision(
                meeting,
                actor=None,
                title=title,
                owner=owners[month % len(owners)],
                deadline=day + datetime.timedelta(days=25),
                expected_output=output,
                resources="Kinh phí hoạt động thường xuyên; điện thoại thông minh của tổ",
                coordination=coordination,
                today=day,
            )


def _next_meeting(cell: Body, today: datetime.date) -> None:
    """Next month's regular meeting, planned from the template, with documents and the notice sent."""
    day = (today.replace(day=28) + datetime.timedelta(days=7)).replace(day=3)
    values = services.from_template(cell, day)
    meeting = services.create_meeting(
        cell,
        actor=None,
        data=services.MeetingData(
            title=f"{values['title']} tháng {day.month}/{day.year}",
            starts_at=values["starts_at"],
            ends_at=values["ends_at"],
            place=values["place"],
        ),
        agenda=[(title, presenter, None) for title, presenter in CELL_AGENDA],
    )
    services.add_document(meeting, actor=None, title="Dự thảo nghị quyết tháng", number="DT-NQ", access="members")
    services.add_document(
        meeting, actor=None, title="Báo cáo tình hình an ninh trật tự", number="07-BC/ĐU", confidential=True
    )
    services.send_notices(meeting, actor=None)


def _spread(total: int, count: int) -> list[int]:
    base, extra = divmod(total, count)
    return [base + (1 if index < extra else 0) for index in range(count)]


def seed_rollout(province: Unit) -> None:
    """Six party organisations and 2.910 cells whose totals are the seeds' figures exactly."""
    assert sum(o[2] for o in ORGANISATIONS) == CELLS
    assert sum(o[3] + o[4] for o in ORGANISATIONS) == DEPLOYED
    communes = list(Unit.objects.valid_on(timezone.localdate()).filter(level="commune").values_list("pk", "name"))
    communes = communes or [(None, "—")]
    organisations = PartyOrganisation.objects.bulk_create(
        [PartyOrganisation(unit=province, code=code, name=name) for code, name, *_rest in ORGANISATIONS]
    )
    log_bulk_create(organisations)
    deployed_members = iter(_spread(DEPLOYED_MEMBERS, DEPLOYED))
    deployed_accounts = iter(_spread(ACCOUNTS, DEPLOYED))
    other_members = iter(_spread(MEMBERS - DEPLOYED_MEMBERS, CELLS - DEPLOYED))
    cells = []
    for organisation, (_code, _name, total, subordinate, grassroots, grassroots_cells) in zip(
        organisations, ORGANISATIONS, strict=True
    ):
        for index in range(total):
            deployed = index < subordinate + grassroots
            # deployed grassroots cells first, then deployed subordinate ones, then the cells not deployed yet
            # (the first of those are the remaining grassroots cells)
            not_deployed_grassroots = grassroots_cells - grassroots
            first_waiting = subordinate + grassroots
            is_grassroots = index < grassroots or first_waiting <= index < first_waiting + not_deployed_grassroots
            kind = CellKind.GRASSROOTS if is_grassroots else CellKind.SUBORDINATE
            members = next(deployed_members) if deployed else next(other_members)
            cells.append(
                CellRollout(
                    organisation=organisation,
                    code=f"{organisation.code}-{index + 1:04d}",
                    name=f"Chi bộ số {index + 1}",
                    unit_id=communes[(index * 7 + organisation.pk) % len(communes)][0],
                    commune=communes[(index * 7 + organisation.pk) % len(communes)][1],
                    kind=kind,
                    deployed=deployed,
                    members=members,
                    accounts=next(deployed_accounts) if deployed else 0,
                )
            )
    log_bulk_create(CellRollout.objects.bulk_create(cells, batch_size=1000))
