"""The one write path of meetings: bodies and members, meetings and agenda, documents, notices, check-in,
attendance and quorum, minutes and resolutions, decisions that become work items, and the rollout import.

Each function checks permission, validates, and writes in one transaction; errors are ValidationError /
PermissionDenied with a message in the user's language (Vietnamese first).
"""

import datetime
import uuid
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.changelog import log_bulk_create
from tinhso.core.notifications import notify
from tinhso.core.permissions import require
from tinhso.core.text import clean_text, short_date
from tinhso.units.succession import extend_across_reorganisations

from .access import can_manage, membership
from .choices import (
    VOTING_ROLES,
    AttendanceStatus,
    CheckinMethod,
    MeetingMode,
    MeetingStatus,
    MemberRole,
    NoticeState,
    QuorumBase,
    QuorumComparison,
    RecordKind,
)
from .models import AgendaItem, Attendance, Body, BodyMember, Decision, Document, DocumentRead, Meeting, Notice, Record

CHECKIN_SECONDS = 10 * 60  # a QR code on the screen is good for ten minutes (the page renews it)
LATE_AFTER = datetime.timedelta(minutes=15)
ARRIVED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
NOTICE_KIND = "meetings.notice"
CHECKIN_SALT = "meetings.checkin"
ICS_SALT = "meetings.invite"


def _require_manager(actor, body: Body) -> None:
    if not can_manage(actor, body):
        raise PermissionDenied(_("Only the chair or the secretary of the body can do this."))


def _require_open(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("This meeting is cancelled or closed; it can no longer change."))


def _fresh(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("body__unit").get(pk=meeting.pk)


# --- bodies --------------------------------------------------------------------------------------------


@transaction.atomic
def save_body(body: Body, *, actor) -> Body:
    require(actor, "meetings.change_body" if body.pk else "meetings.add_body", body)
    if body.quorum_numerator > body.quorum_denominator:
        raise ValidationError({"quorum_numerator": _("The quorum fraction cannot be more than the whole body.")})
    if body.quorum_numerator < 1:
        # "at least 0/2" would hold with nobody in the room
        raise ValidationError({"quorum_numerator": _("The quorum needs at least one member present.")})
    body.full_clean()
    body.save()
    return body


@transaction.atomic
def add_member(
    body: Body,
    *,
    actor,
    user,
    role: str = MemberRole.MEMBER,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    member_number: str = "",
) -> BodyMember:
    _require_manager(actor, body)
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end of the membership cannot be before its start.")})
    member = BodyMember(
        body=body, user=user, role=role, valid_from=valid_from, valid_to=valid_to, member_number=member_number
    )
    member.full_clean(validate_constraints=False)
    if member_number and BodyMember.objects.filter(body=body, member_number=member_number).exists():
        raise ValidationError({"member_number": _("Another member of this body has that member number.")})
    _check_not_member_yet(member)
    member.save()
    return member


def _check_not_member_yet(member: BodyMember) -> None:
    """One membership of a person in a body at a time: a second one (a double tap on "Add") would list them
    twice among the invited."""
    others = BodyMember.objects.filter(body_id=member.body_id, user_id=member.user_id).exclude(pk=member.pk)
    if member.valid_to is not None:
        others = others.filter(valid_from__lte=member.valid_to)
    if others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=member.valid_from)).exists():
        raise ValidationError({"user": _("This person is already a member of the body in that period.")})


@transaction.atomic
def save_member(member: BodyMember, *, actor) -> BodyMember:
    """A change to a membership (role, number, dates) from the admin; the same checks as add_member."""
    _require_manager(actor, member.body)
    if member.valid_to is not None and member.valid_to < member.valid_from:
        raise ValidationError({"valid_to": _("The end of the membership cannot be before its start.")})
    duplicate = BodyMember.objects.filter(body=member.body, member_number=member.member_number).exclude(pk=member.pk)
    if member.member_number and duplicate.exists():
        raise ValidationError({"member_number": _("Another member of this body has that member number.")})
    member.full_clean(validate_constraints=False)
    _check_not_member_yet(member)
    _check_history_kept(member)
    member.save()
    return member


@transaction.atomic
def end_membership(member: BodyMember, *, actor, day: datetime.date) -> BodyMember:
    """The last day of a membership; history (notices, attendance) stays on the row."""
    member = BodyMember.objects.select_for_update(of=("self",)).select_related("body").get(pk=member.pk)
    _require_manager(actor, member.body)
    if day < member.valid_from:
        raise ValidationError({"valid_to": _("The end of the membership cannot be before its start.")})
    if member.valid_to is not None and member.valid_to <= day:
        raise ValidationError({"valid_to": _("This membership has already ended.")})
    member.valid_to = day
    _check_history_kept(member)
    member.save()
    return member


def _check_history_kept(member: BodyMember) -> None:
    """A membership's dates may not move off a meeting that has already taken place: that meeting's invitation
    list, attendance and quorum were of its day, and a backdated end (or a later start) would rewrite them."""
    before = BodyMember.objects.filter(pk=member.pk).values("valid_from", "valid_to").first()
    if before is None:
        return
    held = (
        Meeting.objects.filter(body_id=member.body_id, starts_at__lte=timezone.now())
        .exclude(status=MeetingStatus.CANCELLED)
        .filter(_on_days(before["valid_from"], before["valid_to"]))
        .exclude(_on_days(member.valid_from, member.valid_to))
        .order_by("-starts_at")
        .first()
    )
    if held is not None:
        day = short_date(timezone.localtime(held.starts_at).date())
        raise ValidationError(
            {
                "valid_to": _(
                    "This person was a member at the meeting of %(day)s, which has already taken place: that "
                    "day's invitation list and quorum cannot change afterwards."
                )
                % {"day": day}
            }
        )


def _on_days(first: datetime.date, last: datetime.date | None) -> Q:
    """Meetings whose local day is from first to last (no end: from first on)."""
    days = Q(starts_at__date__gte=first)
    return days if last is None else days & Q(starts_at__date__lte=last)


def invited_members(meeting: Meeting):
    """Members of the body on the meeting's day (guests too), one row a person."""
    day = timezone.localtime(meeting.starts_at).date()
    return (
        BodyMember.objects.active_on(day).filter(body=meeting.body).select_related("user").order_by("user_id", "role")
    )


# --- meetings ------------------------------------------------------------------------------------------


@dataclass
class MeetingData:
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str = ""
    online_link: str = ""
    mode: str = MeetingMode.IN_PERSON


def _check_times(starts_at, ends_at, *, now=None) -> None:
    if starts_at is None or ends_at is None:
        raise ValidationError({"starts_at": _("Give the start and the end of the meeting.")})
    if starts_at < (now or timezone.now()):
        raise ValidationError({"starts_at": _("The meeting cannot start in the past.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})


def _check_free(meeting: Meeting) -> None:
    """A body meets once at a time: a meeting overlapping another of its planned or held ones (a second tap on
    "Create", a slip of the hour) is refused; a cancelled meeting frees its time."""
    others = Meeting.objects.filter(
        body_id=meeting.body_id, starts_at__lt=meeting.ends_at, ends_at__gt=meeting.starts_at
    ).exclude(status=MeetingStatus.CANCELLED)
    clash = others.exclude(pk=meeting.pk).order_by("starts_at").first()
    if clash is not None:
        start = timezone.localtime(clash.starts_at)
        raise ValidationError(
            {
                "starts_at": _("The body already meets at that time: “%(title)s”, %(time)s %(day)s.")
                % {"title": clash.title, "time": start.strftime("%H:%M"), "day": short_date(start.date())}
            }
        )


def _check_mode(meeting: Meeting) -> None:
    if meeting.mode in (MeetingMode.ONLINE, MeetingMode.HYBRID) and not meeting.online_link:
        raise ValidationError({"online_link": _("An online meeting needs its meeting link.")})
    if meeting.mode in (MeetingMode.IN_PERSON, MeetingMode.HYBRID) and not meeting.place.strip():
        raise ValidationError({"place": _("A meeting in person needs its place.")})


@transaction.atomic
def create_meeting(body: Body, *, actor, data: MeetingData, agenda=(), now=None) -> Meeting:
    """A meeting of `body`; `agenda` is a list of (title, presenter, time or None)."""
    _require_manager(actor, body)
    if not body.is_active:
        raise ValidationError(_("This body no longer meets."))
    _check_times(data.starts_at, data.ends_at, now=now)
    Body.objects.select_for_update().filter(pk=body.pk).first()  # two taps at once: the second sees the first
    meeting = Meeting(
        body=body,
        title=(data.title or "").strip() or body.default_title,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        place=(data.place or "").strip(),
        online_link=(data.online_link or "").strip(),
        mode=data.mode,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if not meeting.title:
        raise ValidationError({"title": _("Give the meeting a title.")})
    _check_mode(meeting)
    meeting.full_clean(exclude=["ical_uid"])
    _check_free(meeting)
    meeting.save()
    for order, (title, presenter, time) in enumerate(agenda, start=1):
        if (title or "").strip():
            item = AgendaItem(
                meeting=meeting, order=order, title=title.strip(), presenter=presenter or "", starts_at=time
            )
            item.full_clean()
            item.save()
    return meeting


def _same_day_months_later(moment: datetime.datetime, months: int) -> datetime.datetime | None:
    """The same day of the month and time, `months` later (None when that month has no such day)."""
    local = timezone.localtime(moment)
    year, month = divmod(local.month - 1 + months, 12)
    try:
        day = local.date().replace(year=local.year + year, month=month + 1)
    except ValueError:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, local.time()))


@transaction.atomic
def create_series(body: Body, *, actor, data: MeetingData, months: int, skip=(), agenda=(), now=None) -> list[Meeting]:
    """A regular meeting repeated on the same day of each month (e.g. the 3rd) for `months` months, leaving out
    the days in `skip` (the exceptions: a holiday, a month merged with another meeting). All or nothing."""
    if not 1 <= months <= 24:
        raise ValidationError({"months": _("A series lasts from 1 to 24 months.")})
    skipped = set(skip)
    length = data.ends_at - data.starts_at
    created = []
    for step in range(months):
        start = _same_day_months_later(data.starts_at, step)
        if start is None or timezone.localtime(start).date() in skipped:
            continue
        one = MeetingData(
            title=data.title,
            starts_at=start,
            ends_at=start + length,
            place=data.place,
            online_link=data.online_link,
            mode=data.mode,
        )
        created.append(create_meeting(body, actor=actor, data=one, agenda=agenda, now=now))
    if not created:
        raise ValidationError({"skip": _("Every meeting of the series is left out: nothing to create.")})
    return created


def _first_free(body: Body, starts_at: datetime.datetime, minutes: int) -> datetime.datetime:
    """`starts_at`, or the same day and hour of the first later month when the body does not meet yet: the form
    must not propose the slot of a meeting already planned (it would be refused on "Create")."""
    for months in range(13):
        moment = _same_day_months_later(starts_at, months)
        if moment is None:
            continue
        ends_at = moment + datetime.timedelta(minutes=minutes)
        taken = body.meetings.filter(starts_at__lt=ends_at, ends_at__gt=moment).exclude(status=MeetingStatus.CANCELLED)
        if not taken.exists():
            return moment
    return starts_at


def from_template(body: Body, day: datetime.date) -> dict:
    """What the create form starts with: the body's template, else its previous meeting."""
    previous = body.meetings.exclude(status=MeetingStatus.CANCELLED).order_by("-starts_at").first()
    start = body.default_start or (timezone.localtime(previous.starts_at).time() if previous else datetime.time(8))
    minutes = body.default_minutes
    if previous and not body.default_start:
        minutes = int((previous.ends_at - previous.starts_at).total_seconds() // 60)
    starts_at = _first_free(body, timezone.make_aware(datetime.datetime.combine(day, start)), minutes)
    agenda = [line.strip() for line in body.default_agenda.splitlines() if line.strip()]
    if not agenda and previous:
        agenda = list(previous.agenda.values_list("title", flat=True))
    return {
        "title": body.default_title or (previous.title if previous else ""),
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(minutes=minutes),
        "place": body.default_place or (previous.place if previous else ""),
        "online_link": previous.online_link if previous else "",
        "mode": previous.mode if previous else MeetingMode.IN_PERSON,
        "agenda": agenda,
    }


@transaction.atomic
def reschedule(meeting: Meeting, *, actor, data: MeetingData, now=None) -> Meeting:
    """A change of time, place or link: a new revision (calendar SEQUENCE + 1); members are told again."""
    meeting = _fresh(meeting)
    _require_manager(actor, meeting.body)
    _require_open(meeting)
    _check_times(data.starts_at, data.ends_at, now=now)
    meeting.title = (data.title or "").strip() or meeting.title
    meeting.starts_at, meeting.ends_at = data.starts_at, data.ends_at
    meeting.place, meeting.online_link, meeting.mode = (data.place or "").strip(), data.online_link or "", data.mode
    _check_mode(meeting)
    meeting.sequence += 1
    meeting.full_clean(exclude=["ical_uid"])
    _check_free(meeting)
    meeting.save()
    return meeting


@transaction.atomic
def cancel(meeting: Meeting, *, actor, reason: str) -> Meeting:
    meeting = _fresh(meeting)
    _require_manager(actor, meeting.body)
    _require_open(meeting)
    if not (reason or "").strip():
        raise ValidationError({"cancel_reason": _("Say why the meeting is cancelled.")})
    meeting.status, meeting.cancel_reason = MeetingStatus.CANCELLED, reason.strip()
    meeting.sequence += 1
    meeting.full_clean(exclude=["ical_uid"])
    meeting.save()
    people = [member.user for member in invited_members(meeting)]
    notify(
        people,
        kind=NOTICE_KIND,
        subject=_("Cancelled: %(title)s") % {"title": meeting.title},
        body=meeting.cancel_reason,
        url=meeting.get_absolute_url(),
        related=meeting,
        actor=actor,
        dedupe_key=f"cancel-{meeting.pk}-{meeting.sequence}",
    )
    return meeting


@transaction.atomic
def close(meeting: Meeting, *, actor) -> Meeting:
    meeting = _fresh(meeting)
    _require_manager(actor, meeting.body)
    _require_open(meeting)
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("A meeting can be closed only once it has started."))
    meeting.status, meeting.closed_at = MeetingStatus.CLOSED, timezone.now()
    meeting.save()
    return meeting


@transaction.atomic
def add_agenda_item(meeting: Meeting, *, actor, title: str, presenter: str = "", time=None) -> AgendaItem:
    meeting = _fresh(meeting)
    _require_manager(actor, meeting.body)
    _require_open(meeting)
    if not (title or "").strip():
        raise ValidationError({"title": _("Say what the agenda item is.")})
    last = meeting.agenda.order_by("-order").values_list("order", flat=True).first() or 0
    item = AgendaItem(meeting=meeting, order=last + 1, title=title.strip(), presenter=presenter or "", starts_at=time)
    item.full_clean()
    item.save()
    return item


# --- documents -----------------------------------------------------------------------------------------


def _refuse_file_on_confidential() -> None:
    raise ValidationError(
        {"file": _("A confidential document is registered by its number and title only: its file is never uploaded.")}
    )


@transaction.atomic
def add_document(
    meeting: Meeting,
    *,
    actor,
    title: str,
    number: str = "",
    access: str = "members",
    confidential: bool = False,
    file=None,
    agenda_item: AgendaItem | None = None,
) -> Document:
    _require_manager(actor, meeting.body)
    if confidential and file:
        _refuse_file_on_confidential()
    if confidential and not (number or "").strip():
        raise ValidationError({"number": _("A confidential document is registered by its number: give it.")})
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("The agenda item belongs to another meeting.")})
    document = Document(
        meeting=meeting,
        agenda_item=agenda_item,
        title=(title or "").strip(),
        number=(number or "").strip(),
        access=access,
        confidential=bool(confidential),
        file=file or "",
    )
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def attach_file(document: Document, *, actor, file) -> Document:
    document = Document.objects.select_for_update().select_related("meeting__body").get(pk=document.pk)
    _require_manager(actor, document.meeting.body)
    if document.confidential:
        _refuse_file_on_confidential()
    if not file:
        raise ValidationError({"file": _("Choose a file.")})
    document.file = file
    document.full_clean()
    document.save()
    return document


def record_read(document: Document, user) -> None:
    if user is None or not getattr(user, "pk", None):
        return
    read, _created = DocumentRead.objects.get_or_create(document=document, user=user)
    # counted in the database: two openings at the same moment both count
    DocumentRead.objects.filter(pk=read.pk).update(count=F("count") + 1)


# --- notices -------------------------------------------------------------------------------------------


@transaction.atomic
def send_notices(meeting: Meeting, *, actor) -> list[Notice]:
    """One notice per member for this revision of the meeting (members already told of it are skipped)."""
    meeting = _fresh(meeting)
    _require_manager(actor, meeting.body)
    _require_open(meeting)
    members = list(invited_members(meeting))
    if not members:
        raise ValidationError(_("The body has no members on the day of the meeting: there is nobody to notify."))
    people = {member.user_id: member.user for member in members}
    told = set(Notice.objects.filter(meeting=meeting, revision=meeting.sequence).values_list("user_id", flat=True))
    to_tell = [person for pk, person in people.items() if pk not in told]
    if not to_tell:
        return []
    created = Notice.objects.bulk_create(_tell(meeting, to_tell, actor))
    log_bulk_create(created)
    return created


def _tell(meeting: Meeting, people: list, actor) -> list[Notice]:
    """Send the meeting's notice to `people` (urgent, once per revision) and return their unsaved Notices."""
    subject, body = _notice_text(meeting)
    messages = notify(
        people,
        kind=NOTICE_KIND,
        subject=subject,
        body=body,
        url=meeting.get_absolute_url(),
        related=meeting,
        actor=actor,
        urgent=True,
        dedupe_key=f"notice-{meeting.pk}-{meeting.sequence}",
    )
    return _notices(meeting, people, messages)


def _notices(meeting: Meeting, people, messages) -> list[Notice]:
    by_person = {message.recipient_id: message for message in messages}
    return [
        Notice(
            meeting=meeting,
            user=person,
            revision=meeting.sequence,
            message=by_person.get(person.pk),
            state=NoticeState.DELIVERED if person.pk in by_person else NoticeState.QUEUED,
        )
        for person in people
    ]


def _notice_text(meeting: Meeting) -> tuple[str, str]:
    start = timezone.localtime(meeting.starts_at)
    subject = _("Meeting notice: %(title)s, %(time)s %(day)s") % {
        "title": meeting.title,
        "time": start.strftime("%H:%M"),
        "day": short_date(start.date()),
    }
    if meeting.sequence:
        subject = _("Changed — %(subject)s") % {"subject": subject}
    body = "\n".join(
        part
        for part in (
            meeting.body.name,
            _("Place: %(place)s") % {"place": meeting.place} if meeting.place else "",
            _("Online: %(link)s") % {"link": meeting.online_link} if meeting.online_link else "",
            _("Documents are on the meeting page; please confirm or excuse yourself there."),
        )
        if part
    )
    return subject, body


# --- one notice to many bodies (a province-wide meeting of every party cell) -------------------------------

BODIES_NOTICE_JOB = "meetings.notify_bodies"
BODIES_NOTICE_CHUNK = 200  # meetings per progress step


def bodies_in(unit, kind: str):
    """The active bodies of `kind` serving `unit` or a unit below it, across reorganisations: a body that stayed
    on a commune merged into `unit` (or into a unit below it) serves it too."""
    subtrees, exact = extend_across_reorganisations({unit.path}, set())
    where = Q(unit__path__in=sorted(exact))
    for prefix in sorted(subtrees):
        where |= Q(unit__path__startswith=prefix)
    return Body.objects.filter(where, kind=kind, is_active=True)


def start_notice_to_bodies(*, actor, unit, kind: str, data: MeetingData, now=None):
    """Check the request and queue the background job that gives every body of `kind` within `unit` its own
    meeting and notifies each of its members (watched on /jobs/<id>/). Needs `meetings.change_meeting` on
    `unit` (a province or district officer)."""
    from tinhso.core.jobs import start_job

    require(actor, "meetings.change_meeting", unit)
    _check_times(data.starts_at, data.ends_at, now=now)
    probe = Meeting(
        title=(data.title or "").strip(), place=(data.place or "").strip(), online_link=data.online_link, mode=data.mode
    )
    if not probe.title:
        raise ValidationError({"title": _("Give the meeting a title.")})
    _check_mode(probe)
    if not bodies_in(unit, kind).exists():
        raise ValidationError(_("There is no body of this kind in this unit: there is nobody to notify."))
    return start_job(
        kind=BODIES_NOTICE_JOB,
        title=_("Meeting notice to every body: %(title)s") % {"title": probe.title},
        actor=actor,
        unit=unit,
        parameters={
            "unit": unit.pk,
            "kind": kind,
            "title": probe.title,
            "starts_at": data.starts_at.isoformat(),
            "ends_at": data.ends_at.isoformat(),
            "place": probe.place,
            "online_link": probe.online_link,
            "mode": probe.mode,
        },
    )


@transaction.atomic
def notify_bodies(*, actor, unit, kind: str, data: MeetingData, progress=None) -> dict:
    """What the job runs: one meeting per body (bulk-created), then the notices of every member, a chunk of
    meetings at a time, all in one transaction (nothing is half-written if it fails)."""
    require(actor, "meetings.change_meeting", unit)
    _check_times(data.starts_at, data.ends_at)
    bodies = list(bodies_in(unit, kind).order_by("pk"))
    creator = actor if getattr(actor, "pk", None) else None
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                body=body,
                title=data.title,
                starts_at=data.starts_at,
                ends_at=data.ends_at,
                place=data.place,
                online_link=data.online_link,
                mode=data.mode,
                created_by=creator,
                ical_uid=f"{uuid.uuid4()}@tinhso",
            )
            for body in bodies
        ],
        batch_size=1000,
    )
    log_bulk_create(meetings)
    day = timezone.localtime(data.starts_at).date()
    total, done, notified = len(meetings), 0, 0
    if progress:
        progress(0, total, _("Creating the meetings…"))
    for first in range(0, total, BODIES_NOTICE_CHUNK):
        chunk = meetings[first : first + BODIES_NOTICE_CHUNK]
        people: dict[int, dict] = {}
        members = BodyMember.objects.active_on(day).filter(body__in=[m.body_id for m in chunk]).select_related("user")
        for member in members.order_by("user_id"):
            people.setdefault(member.body_id, {})[member.user_id] = member.user
        notices = []
        for meeting in chunk:
            to_tell = list(people.get(meeting.body_id, {}).values())
            if not to_tell:
                continue
            notices.extend(_tell(meeting, to_tell, actor))
        log_bulk_create(Notice.objects.bulk_create(notices, batch_size=2000))
        notified += len(notices)
        done += len(chunk)
        if progress:
            progress(done, total, _("%(done)d of %(total)d meetings notified") % {"done": done, "total": total})
    return {
        "meetings": total,
        "notices": notified,
        "message": _("%(meetings)d meetings created and %(notices)d members notified.")
        % {"meetings": total, "notices": notified},
    }


def current_notice(meeting: Meeting, user) -> Notice | None:
    if user is None or not getattr(user, "pk", None):
        return None
    return Notice.objects.filter(meeting=meeting, user=user).order_by("-revision").first()


@transaction.atomic
def mark_notice_read(meeting: Meeting, user) -> None:
    """The member opened the meeting page: their notice is read (and its message in the inbox)."""
    notice = current_notice(meeting, user)
    if notice is None or notice.state not in (NoticeState.QUEUED, NoticeState.DELIVERED):
        return
    notice.state = NoticeState.READ
    notice.save(update_fields=["state", "updated_at"])
    if notice.message is not None and notice.message.read_at is None:
        from tinhso.core.notifications import mark_read

        mark_read(notice.message, actor=user)


@transaction.atomic
def answer_notice(meeting: Meeting, *, actor, attend: bool, reason: str = "") -> Notice:
    """The member confirms they will come, or excuses themself with a reason."""
    notice = current_notice(meeting, actor)
    if notice is None:
        raise ValidationError(_("You have no notice for this meeting."))
    _require_open(meeting)
    if not attend and not (reason or "").strip():
        raise ValidationError({"excuse": _("Say why you cannot come.")})
    notice.state = NoticeState.CONFIRMED if attend else NoticeState.EXCUSED
    notice.excuse = "" if attend else reason.strip()[:300]
    notice.answered_at = timezone.now()
    notice.full_clean()
    notice.save()
    return notice


def notice_states(meeting: Meeting) -> list[tuple[BodyMember, Notice | None]]:
    """Each invited member with their latest notice (None: not told yet)."""
    latest: dict[int, Notice] = {}
    for notice in Notice.objects.filter(meeting=meeting).order_by("revision"):
        latest[notice.user_id] = notice
    return [(member, latest.get(member.user_id)) for member in invited_members(meeting)]


# --- check-in, attendance, quorum ----------------------------------------------------------------------


def checkin_code(meeting: Meeting) -> str:
    """A short-lived code for the meeting's QR: it names the meeting and is signed with a timestamp."""
    return signing.TimestampSigner(salt=CHECKIN_SALT).sign(str(meeting.pk))


def _check_code(meeting: Meeting, code: str) -> None:
    try:
        value = signing.TimestampSigner(salt=CHECKIN_SALT).unsign(code or "", max_age=CHECKIN_SECONDS)
    except signing.SignatureExpired as error:
        raise ValidationError(
            {"code": _("This check-in code has expired: scan the code on the screen again.")}
        ) from error
    except signing.BadSignature as error:
        raise ValidationError({"code": _("This check-in code is not valid.")}) from error
    if value != str(meeting.pk):
        raise ValidationError({"code": _("This check-in code belongs to another meeting.")})


def _status_now(meeting: Meeting, now) -> str:
    return AttendanceStatus.LATE if now > meeting.starts_at + LATE_AFTER else AttendanceStatus.PRESENT


def _record(meeting, user, status, method, reason="", now=None) -> Attendance:
    now = now or timezone.now()
    attendance = Attendance.objects.filter(meeting=meeting, user=user).first() or Attendance(meeting=meeting, user=user)
    if method != CheckinMethod.SECRETARY and attendance.status in ARRIVED:
        return attendance  # a second scan (or a double tap) keeps the first arrival: no write, no log line
    attendance.status, attendance.method, attendance.reason, attendance.at = status, method, reason, now
    # The meeting and the person are objects in hand: no query to check that they exist.
    attendance.full_clean(exclude=["meeting", "user"], validate_constraints=False)
    try:
        with transaction.atomic():
            attendance.save()
    except IntegrityError:  # the same person checked in twice at once: the first one stands
        attendance = Attendance.objects.get(meeting=meeting, user=user)
    return attendance


def _checkin_window(meeting: Meeting, now) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."))
    if now < meeting.starts_at - datetime.timedelta(hours=2) or now > meeting.ends_at + datetime.timedelta(hours=2):
        raise ValidationError(_("Check-in opens two hours before the meeting and closes two hours after its end."))


def _desk_window(meeting: Meeting, now, status: str) -> None:
    """The secretary's register: an apology (excused) may come any time before the meeting is closed; anything
    else from the QR check-in's opening (two hours before) until the meeting is closed, when the minutes hold the
    attendance and it no longer changes."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."))
    if meeting.status == MeetingStatus.CLOSED:
        raise ValidationError(_("This meeting is closed: its attendance is in the minutes and can no longer change."))
    if status != AttendanceStatus.EXCUSED and now < meeting.starts_at - datetime.timedelta(hours=2):
        raise ValidationError(
            _("Attendance is taken from two hours before the meeting; only an apology can be recorded earlier.")
        )


def check_in(
    meeting: Meeting,
    *,
    actor,
    code: str = "",
    member_number: str = "",
    user=None,
    status: str = "",
    reason: str = "",
    now=None,
) -> Attendance:
    """Three ways: the member scans the QR (`code`); someone types a member number (the secretary's desk);
    the secretary ticks a person with a status (present, late, excused with a reason, absent).

    The checks only read; the one write (the attendance row and its change-log line) is its own short
    transaction, and nothing locks the meeting: three hundred arrivals at once do not wait for each other."""
    # What was typed is refused in words if it holds a NUL or invisible character (PostgreSQL refuses a NUL).
    code, member_number = clean_text(code or ""), clean_text(member_number or "")
    reason = clean_text(reason or "", multiline=True)
    now = now or timezone.now()
    day = timezone.localtime(meeting.starts_at).date()
    if code:
        _check_code(meeting, code)
        _checkin_window(meeting, now)
        member = membership(actor, meeting.body, day)
        if member is None:
            raise ValidationError(_("You are not invited to this meeting."))
        return _record(meeting, actor, _status_now(meeting, now), CheckinMethod.QR, now=now)
    _require_manager(actor, meeting.body)
    _desk_window(meeting, now, status if user is not None and not member_number else AttendanceStatus.PRESENT)
    if member_number:
        member = (
            BodyMember.objects.active_on(day).filter(body=meeting.body, member_number=member_number.strip()).first()
        )
        if member is None:
            raise ValidationError({"member_number": _("No member of this body has that number.")})
        return _record(meeting, member.user, _status_now(meeting, now), CheckinMethod.NUMBER, now=now)
    if user is None:
        raise ValidationError(_("Scan the code, type a member number or choose a person."))
    if not BodyMember.objects.active_on(day).filter(body=meeting.body, user=user).exists():
        raise ValidationError({"user": _("This person is not invited to this meeting.")})
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": _("Choose present, late, excused or absent.")})
    if status == AttendanceStatus.EXCUSED and not (reason or "").strip():
        raise ValidationError({"reason": _("An excused absence needs its reason.")})
    return _record(meeting, user, status, CheckinMethod.SECRETARY, reason=(reason or "").strip()[:300], now=now)


def quorum_holds(body: Body, present: int, base: int) -> bool:
    """present against the base, with the body's fraction and comparison (integers, no rounding)."""
    if base <= 0:
        return False
    left, right = present * body.quorum_denominator, body.quorum_numerator * base
    return left >= right if body.quorum_comparison == QuorumComparison.AT_LEAST else left > right


def attendance_summary(meeting: Meeting) -> dict:
    """Counts among the members who count for the quorum (guests do not), and whether the quorum holds.

    One counting query whatever the size of the body (no member or attendance row is loaded): it runs after
    every check-in and on every 5-second poll of the live attendance, so a storm of 300 arrivals stays cheap."""
    day = timezone.localtime(meeting.starts_at).date()
    voting = BodyMember.objects.active_on(day).filter(body_id=meeting.body_id, role__in=VOTING_ROLES).order_by()

    def came(*statuses):
        attended = Attendance.objects.filter(meeting_id=meeting.pk, user_id=OuterRef("user_id"), status__in=statuses)
        return Count("user_id", distinct=True, filter=Q(Exists(attended)))

    counts = voting.aggregate(
        invited=Count("user_id", distinct=True),
        present=came(*ARRIVED),
        late=came(AttendanceStatus.LATE),
        excused=came(AttendanceStatus.EXCUSED),
    )
    invited = counts["invited"]
    present, late, excused = counts["present"], counts["late"], counts["excused"]
    body = meeting.body
    base = invited - excused if body.quorum_base == QuorumBase.NOT_EXCUSED else invited
    return {
        "invited": invited,
        "present": present,
        "late": late,
        "excused": excused,
        "absent": invited - present - excused,
        "quorum": quorum_holds(body, present, base),
        "rule": {
            "numerator": body.quorum_numerator,
            "denominator": body.quorum_denominator,
            "comparison": body.quorum_comparison,
            "base": body.quorum_base,
        },
    }


# --- minutes, resolutions, decisions -------------------------------------------------------------------


@transaction.atomic
def save_record(meeting: Meeting, *, actor, kind: str, text: str = "", number: str = "", scan=None) -> Record:
    _require_manager(actor, meeting.body)
    if kind not in RecordKind.values:
        raise ValidationError({"kind": _("Choose the minutes or the resolution.")})
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."))
    record = Record.objects.select_for_update().filter(meeting=meeting, kind=kind).first() or Record(
        meeting=meeting, kind=kind
    )
    if record.published:
        raise ValidationError(_("This text is published; it can no longer change."))
    record.text, record.number = text or "", (number or "").strip()
    if scan:
        record.scan = scan
    record.full_clean(validate_constraints=False)
    record.save()
    return record


@transaction.atomic
def publish_record(record: Record, *, actor) -> Record:
    record = Record.objects.select_for_update().select_related("meeting__body").get(pk=record.pk)
    _require_manager(actor, record.meeting.body)
    if record.published:
        return record
    if not record.text.strip() and not record.scan:
        raise ValidationError(_("Write the text or upload the signed scan before publishing."))
    record.published, record.published_at = True, timezone.now()
    record.save()
    return record


def missing_clarities(
    *, title: str, owner, deadline: datetime.date | None, expected_output: str, resources: str, coordination: str
) -> dict[str, list[str]]:
    """The five clarities a decision lacks ("5 rõ"), each named in the user's language: {field: [message]}."""
    missing: dict[str, list[str]] = {}
    if not title.strip():
        missing["title"] = [_("Clear task: say what is to be done.")]
    if owner is None:
        missing["owner"] = [_("Clear owner: choose the person responsible.")]
    if deadline is None:
        missing["deadline"] = [_("Clear deadline: give the date it is due.")]
    if not expected_output.strip():
        missing["expected_output"] = [_("Clear output: describe the expected result.")]
    if not resources.strip():
        missing["resources"] = [_("Clear resources: say what means and budget are used (or none).")]
    if not coordination.strip():
        missing["coordination"] = [_("Clear coordination: say who works with the owner.")]
    return missing


@transaction.atomic
def add_decision(
    meeting: Meeting,
    *,
    actor,
    title: str,
    owner,
    deadline: datetime.date | None,
    expected_output: str = "",
    resources: str = "",
    coordination: str = "",
    today: datetime.date | None = None,
) -> Decision:
    """A decision with the five clarities becomes a work item of its owner in the task tracker."""
    from tinhso.work import services as work

    _require_manager(actor, meeting.body)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."))
    values = {
        "title": (title or "").strip(),
        "expected_output": (expected_output or "").strip(),
        "resources": (resources or "").strip(),
        "coordination": (coordination or "").strip(),
    }
    missing = missing_clarities(owner=owner, deadline=deadline, **values)
    if missing or deadline is None:
        summary = _("The task does not have the five clarities; missing: %(fields)s") % {
            "fields": " ".join(message for messages in missing.values() for message in messages)
        }
        raise ValidationError({**missing, "non_field_errors": [summary]})
    today = today or timezone.localdate()
    if deadline < today:
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    decision = Decision(meeting=meeting, owner=owner, deadline=deadline, **values)
    decision.full_clean()
    decision.save()
    description = "\n".join(
        (
            _("From: %(meeting)s (%(body)s)") % {"meeting": meeting.title, "body": meeting.body.name},
            _("Expected output: %(value)s") % {"value": decision.expected_output},
            _("Resources: %(value)s") % {"value": decision.resources},
            _("Coordination: %(value)s") % {"value": decision.coordination},
        )
    )
    # The body's chair or secretary gives the task (the rule meetings registered with work's sources); an officer
    # of the unit who is not one of them records it in the system's name, after the check above.
    from .access import chairs_decision

    item = work.create_item(
        actor=actor if chairs_decision(actor, decision) else None,
        assignee=owner,
        title=decision.title,
        description=description,
        due_date=deadline,
        assigned_on=today,
        source=decision,
    )
    decision.work_item = item
    decision.save(update_fields=["work_item", "updated_at"])
    return decision
