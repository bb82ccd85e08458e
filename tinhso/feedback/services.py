"""The one write path of citizen reports: file, route, transfer, handle, answer, close, reopen, rate."""

import datetime
import uuid
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.access import holds_on_unit
from tinhso.core.jobs import start_job
from tinhso.core.models.jobs import Job
from tinhso.core.notifications import notify
from tinhso.core.permissions import require
from tinhso.units.models import Organisation, Unit

from . import attributes as attributes_module
from . import photos as photos_module
from . import routing, workdays
from .choices import WAITING, EventKind, Status
from .models import Report, ReportEvent, ServiceCategory
from .redaction import redact

MAX_PHOTOS = 5
DUPLICATE_RADIUS_M = 100
DUPLICATE_DAYS = 7
# Keys sent by clients are namespaced by user, so that two people's keys never meet.
IDEMPOTENCY_NAMESPACE = uuid.UUID("2b8f6c1e-6a34-4f3e-9d7a-0c1f5e9b7a42")
NOTIFY_KIND = "feedback.status"
QUESTION_KIND = "feedback.question"
TRANSFERRED_KIND = "feedback.transferred"
PHOTO_FAILED_KIND = "feedback.photo_failed"


class DuplicateSubmission(Exception):
    """The key was used before for a report with other details."""

    def __init__(self, report: Report):
        super().__init__(report.pk)
        self.report = report


def submission_key(actor, raw_key: str) -> uuid.UUID:
    return uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{getattr(actor, 'pk', None)}:{raw_key.strip()}")


def parse_coordinate(raw, field: str) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation as error:
        raise ValidationError({field: _("Coordinates are decimal degrees, e.g. 21.7168.")}) from error
    limit = 90 if field == "latitude" else 180
    if not value.is_finite() or abs(value) > limit:
        raise ValidationError({field: _("Coordinates are decimal degrees, e.g. 21.7168.")})
    return value.quantize(Decimal("0.000001"))


# Related objects a service passes in were read from the database a moment ago: full_clean() would read each
# of them again to check that it exists (a query per foreign key), so the checks leave them out.
FETCHED = ["report", "actor", "organisation"]
FETCHED_ON_FILING = ["unit", "routed_to", "service", "place", "reporter", "assisted_by"]


def _event(report: Report, kind: str, actor=None, **fields) -> ReportEvent:
    event = ReportEvent(report=report, kind=kind, actor=actor if getattr(actor, "pk", None) else None, **fields)
    event.at = event.at or timezone.now()
    event.full_clean(exclude=FETCHED)
    event.save()
    return event


def _tell_reporter(report: Report, subject: str, body: str = "", *, kind: str = NOTIFY_KIND) -> None:
    if report.reporter_id is None:
        return
    notify(
        [report.reporter],  # a list: request.user is a lazy object that looks iterable
        kind=kind,
        subject=subject,
        body=body or subject,
        url=report.get_absolute_url(),
        related=report,
    )


def private_notice() -> str:
    """What the citizen is told when filing in a category whose reports stay off the public pages."""
    return _("Reports of this category are not published: only the office that answers and you can see it.")


def _status_subject(report: Report) -> str:
    return _("Your report #%(number)s: %(status)s") % {"number": report.pk, "status": report.get_status_display()}


# --- Filing ---------------------------------------------------------------------------------------


def _location(place, latitude, longitude) -> tuple[Unit | None, Decimal | None, Decimal | None]:
    latitude, longitude = parse_coordinate(latitude, "latitude"), parse_coordinate(longitude, "longitude")
    if (latitude is None) != (longitude is None):
        raise ValidationError({"latitude": _("Give both the latitude and the longitude, or neither.")})
    if place is None and latitude is None:
        raise ValidationError({"place": _("Choose the village or commune, or drop a pin on the map.")})
    if place is None:
        place = routing.nearest_place(latitude, longitude)
        if place is None:
            raise ValidationError({"latitude": _("This point is outside the province's villages.")})
    return place, latitude, longitude


def _earlier_duplicate(report: Report) -> Report | None:
    """An earlier report of the same category within 100 m and 7 days (pins), or of the same village."""
    since = report.submitted_at - datetime.timedelta(days=DUPLICATE_DAYS)
    nearby = Report.objects.filter(service=report.service, submitted_at__gte=since).exclude(status=Status.CLOSED)
    if report.latitude is None or report.longitude is None:
        return nearby.filter(place=report.place, latitude__isnull=True).order_by("submitted_at").first()
    window = Decimal("0.002")  # ≈ 220 m: the box that holds every point within 100 m
    nearby = nearby.filter(
        latitude__range=(report.latitude - window, report.latitude + window),
        longitude__range=(report.longitude - window, report.longitude + window),
    )
    for earlier in nearby.order_by("submitted_at"):
        distance = routing.distance_m(report.latitude, report.longitude, earlier.latitude, earlier.longitude)
        if distance <= DUPLICATE_RADIUS_M:
            return earlier
    return None


def _same_details(earlier: Report, report: Report) -> bool:
    return (earlier.service_id, earlier.description.strip()) == (report.service_id, report.description.strip())


def submit_report(
    *,
    actor,
    service: ServiceCategory,
    description: str,
    place: Unit | None = None,
    latitude=None,
    longitude=None,
    address: str = "",
    photos=(),
    attributes: dict | None = None,
    is_anonymous: bool = False,
    assisted: bool = False,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    idempotency_key: str = "",
    submitted_at: datetime.datetime | None = None,
) -> tuple[Report, bool]:
    """File a report; (report, created). The same idempotency key sent again returns the first report.
    `attributes`: the answers to the category's attributes, {code: value or [keys]} (attributes.py)."""
    if actor is not None and not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to send a report."))
    if service is None:
        raise ValidationError({"service": _("Choose a category from the list.")})
    photos = list(photos or ())
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(count)s photos.") % {"count": MAX_PHOTOS}})
    place, latitude, longitude = _location(place, latitude, longitude)
    if not routing.is_offered(service, place):
        raise ValidationError({"service": _("This category is not offered at this place.")})
    answers = attributes_module.checked(service, attributes)
    if assisted:
        require(actor, "feedback.assist_report", place)
    key = submission_key(actor, idempotency_key) if idempotency_key else None
    if key is not None:
        earlier = Report.objects.filter(idempotency_key=key).first()
        if earlier is not None:
            return _resent(earlier, service, description)
    # Only the photos' headers are read here; a job resizes them after commit (photos.py).
    uploads = [photos_module.checked(photo) for photo in photos]
    try:
        return _file(
            actor=actor,
            service=service,
            description=description,
            place=place,
            latitude=latitude,
            longitude=longitude,
            address=address,
            photos=uploads,
            answers=answers,
            is_anonymous=is_anonymous,
            assisted=assisted,
            contact=(contact_name, contact_phone, contact_email),
            key=key,
            submitted_at=submitted_at,
        ), True
    except IntegrityError:
        earlier = Report.objects.filter(idempotency_key=key).first() if key else None
        if earlier is None:
            raise
        return _resent(earlier, service, description)  # the same key arrived twice at the same moment


def _resent(earlier: Report, service, description: str) -> tuple[Report, bool]:
    if (earlier.service_id, earlier.description.strip()) != (service.pk, (description or "").strip()):
        raise DuplicateSubmission(earlier)
    return earlier, False


@transaction.atomic
def _file(
    *,
    actor,
    service,
    description,
    place,
    latitude,
    longitude,
    address,
    photos,
    answers,
    is_anonymous,
    assisted,
    contact,
    key,
    submitted_at,
) -> Report:
    person = actor if getattr(actor, "pk", None) else None
    name, phone, email = contact
    if person is not None and not assisted:
        name, phone = name or person.full_name or person.username, phone or getattr(person, "phone", "")
    office = routing.route(service, place)
    now = submitted_at or timezone.now()
    report = Report(
        service=service,
        routed_to=office,
        unit=office.unit,  # read with the office (routing): the change log and the photo job use it
        place=place,
        latitude=latitude,
        longitude=longitude,
        address=(address or "").strip(),
        attributes=answers,
        description=(description or "").strip(),
        reporter=None if assisted else person,
        assisted_by=person if assisted else None,
        contact_name=(name or "").strip(),
        contact_phone=(phone or "").strip(),
        contact_email=(email or "").strip(),
        is_anonymous=bool(is_anonymous),
        submitted_at=now,
        deadline=workdays.add_working_days(timezone.localdate(now), service.deadline_days),
        idempotency_key=key,
    )
    if not report.description:
        raise ValidationError({"description": _("Describe what happened.")})
    report.public_text = redact(report.description)
    # Unique fields: the key was looked up just before (a race ends in IntegrityError, handled by the caller),
    # the token is 96 random bits; the database's constraints still hold both.
    report.full_clean(exclude=FETCHED_ON_FILING, validate_unique=False)
    report.duplicate_of = _earlier_duplicate(report)
    report.save()  # a second report with the same key fails here and _file's transaction rolls back
    for upload in photos:
        photos_module.store_original(report, upload)
    if photos:
        start_preparing(report)
    _event(report, EventKind.CREATED, actor, status=Status.OPEN, at=now)
    _event(report, EventKind.ROUTED, None, organisation=office, at=now)
    _open_work_item(report)
    deadline = f"{report.deadline.day}/{report.deadline.month}/{report.deadline.year}"
    body = _("%(office)s will answer by %(deadline)s.") % {"office": office.name, "deadline": deadline}
    _tell_reporter(
        report,
        _("Your report #%(number)s was received") % {"number": report.pk},
        body if service.is_public else f"{body} {private_notice()}",
    )
    return report


def _open_work_item(report: Report) -> None:
    """A work item for the head of the office, when the office keeps a staff list (work module)."""
    from tinhso.work.models import StaffMember
    from tinhso.work.services import create_item

    head = StaffMember.objects.filter(organisation=report.routed_to, is_head=True, is_active=True).first()
    if head is None:
        return
    create_item(
        actor=None,
        assignee=head.user,
        title=_("Answer citizen report #%(number)s (%(category)s)") % {"number": report.pk, "category": report.service},
        due_date=report.deadline,
        assigned_on=timezone.localdate(report.submitted_at),
        description=report.public_text[:1000],
        source=report,
    )


def _hand_over_work_items(report: Report, reason: str) -> None:
    """After a transfer: the first office's open work item goes to the head of the new office (or is
    withdrawn when the new office keeps no staff list), through work's registry of sources."""
    from tinhso.work.models import StaffMember
    from tinhso.work.services import hand_over

    head = StaffMember.objects.filter(organisation=report.routed_to, is_head=True, is_active=True).first()
    note = _("Citizen report #%(number)s was transferred to %(office)s: %(reason)s") % {
        "number": report.pk,
        "office": report.routed_to.name,
        "reason": reason,
    }
    moved = hand_over(report, assignee=head.user if head else None, reason=note)
    if head is not None and not moved:
        _open_work_item(report)


def _finish_work_items(report: Report) -> None:
    """The office answered: its work items for the report are reported done (the head then accepts them)."""
    from django.contrib.contenttypes.models import ContentType

    from tinhso.work.choices import Status as WorkStatus
    from tinhso.work.models import WorkItem
    from tinhso.work.services import submit

    items = WorkItem.objects.filter(
        source_type=ContentType.objects.get_for_model(Report),
        source_id=report.pk,
        status__in=(WorkStatus.ASSIGNED, WorkStatus.IN_PROGRESS, WorkStatus.RETURNED),
    )
    for item in items:
        submit(item, actor=None, day=timezone.localdate(report.answered_at))


# --- Handling by the office -------------------------------------------------------------------


def _fresh(report: Report) -> Report:
    return Report.objects.select_for_update(of=("self",)).select_related("routed_to", "service").get(pk=report.pk)


def acts_for_office(actor, report: Report, permission: str) -> bool:
    """The actor works at the office the report is routed to: a role granting `permission` held on that
    office's unit itself (not only above it), and not on the staff list of another office there."""
    if actor is None or actor.is_superuser:
        return True
    if not holds_on_unit(actor, permission, report.unit_id):
        return False
    from tinhso.work.services import staff_of

    staff = staff_of(actor)
    return staff is None or staff.organisation_id == report.routed_to_id or staff.organisation.unit_id != report.unit_id


def _require_office(actor, report: Report, permission: str) -> None:
    require(actor, permission, report)
    if not acts_for_office(actor, report, permission):
        raise PermissionDenied(_("This report is routed to another office."))


@transaction.atomic
def start_handling(report: Report, *, actor) -> Report:
    report = _fresh(report)
    _require_office(actor, report, "feedback.change_report")
    if report.status != Status.OPEN:
        raise ValidationError(_("Only a report just received can be taken up."))
    return _set_status(report, Status.IN_PROGRESS, actor)


def _set_status(report: Report, status: str, actor, text: str = "") -> Report:
    report.status = status
    report.save()
    _event(report, EventKind.STATUS, actor, status=status, text=text)
    _tell_reporter(report, _status_subject(report), text)
    return report


@transaction.atomic
def answer_report(report: Report, *, actor, answer: str) -> Report:
    """The office's public answer; the report becomes answered and the reporter is told."""
    report = _fresh(report)
    _require_office(actor, report, "feedback.answer_report")
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    if report.status not in WAITING:
        raise ValidationError(_("This report is already answered or closed."))
    report.answer, report.answered_at, report.status = redact(answer), timezone.now(), Status.ANSWERED
    report.full_clean(exclude=["unit", "routed_to"])
    report.save()
    _event(report, EventKind.ANSWERED, actor, status=Status.ANSWERED, text=report.answer)
    _finish_work_items(report)
    _tell_reporter(report, _status_subject(report), report.answer)
    return report


@transaction.atomic
def transfer_report(report: Report, *, actor, organisation: Organisation, reason: str) -> Report:
    """Hand the report to another office, with the reason; the deadline stays."""
    report = _fresh(report)
    require(actor, "feedback.transfer_report", report)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the report goes to another office.")})
    if organisation is None or not organisation.is_active or organisation.pk == report.routed_to_id:
        raise ValidationError({"organisation": _("Choose another, active office.")})
    if report.status not in WAITING:
        raise ValidationError(_("This report is already answered or closed."))
    report.routed_to, report.unit_id = organisation, organisation.unit_id
    report.save()
    _event(report, EventKind.TRANSFERRED, actor, organisation=organisation, text=reason)
    _hand_over_work_items(report, reason)
    notify(
        _office_people(report),
        kind=TRANSFERRED_KIND,
        subject=_("Citizen report #%(number)s was transferred to %(office)s")
        % {"number": report.pk, "office": organisation.name},
        body=reason,
        url=report.get_absolute_url(),
        related=report,
        actor=actor,
    )
    _tell_reporter(
        report,
        _("Your report #%(number)s was sent to %(office)s") % {"number": report.pk, "office": organisation.name},
        reason,
    )
    return report


def _office_people(report: Report) -> list:
    """Who answers for the office the report is routed to: the holders of a role that answers reports on the
    office's unit itself who act for this office (acts_for_office), and the head on its staff list."""
    from tinhso.accounts.access import holders_on_unit
    from tinhso.work.models import StaffMember

    permission = "feedback.answer_report"
    people = holders_on_unit(permission, report.unit_id)
    heads = StaffMember.objects.filter(organisation=report.routed_to, is_head=True, is_active=True)
    people |= {head.user for head in heads.select_related("user")}
    return [person for person in people if acts_for_office(person, report, permission)]


@transaction.atomic
def add_note(report: Report, *, actor, text: str, ask_reporter: bool = False) -> ReportEvent:
    """An internal note; with `ask_reporter`, a question the reporter is sent (more information needed)."""
    report = _fresh(report)
    _require_office(actor, report, "feedback.change_report")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    event = _event(report, EventKind.NOTE, actor, text=text)
    if ask_reporter:
        subject = _("The office asks about your report #%(number)s") % {"number": report.pk}
        _tell_reporter(report, subject, text, kind=QUESTION_KIND)
    return event


@transaction.atomic
def record_place_action(report: Report, *, actor, label: str, address: str) -> ReportEvent:
    """A note in the report's history that `actor` started another module's action on its place (a radio
    emergency...), with where it continues. Only the office sees notes."""
    report = _fresh(report)
    text = _("%(action)s prepared: %(address)s") % {"action": label, "address": address}
    return _event(report, EventKind.NOTE, actor, text=text)


@transaction.atomic
def moderate_report(report: Report, *, actor, public_text: str, is_public: bool) -> Report:
    """What the public pages show of the description (always redacted again), or nothing at all."""
    report = _fresh(report)
    _require_office(actor, report, "feedback.change_report")
    report.public_text, report.is_public = redact((public_text or "").strip()), bool(is_public)
    report.full_clean(exclude=["unit", "routed_to"])
    report.save()
    return report


@transaction.atomic
def close_report(report: Report, *, actor, reason: str = "") -> Report:
    """Closed by the office (after an answer, or as a duplicate with a reason) or by the reporter."""
    report = _fresh(report)
    if actor is None or actor.pk != report.reporter_id:
        _require_office(actor, report, "feedback.change_report")
        if report.status in WAITING and not (reason or "").strip():
            raise ValidationError({"reason": _("Say why a report without an answer is closed.")})
    elif report.status != Status.ANSWERED:
        raise ValidationError(_("You can close your report once it is answered."))
    if report.status == Status.CLOSED:
        raise ValidationError(_("This report is already closed."))
    report.status, report.closed_at = Status.CLOSED, timezone.now()
    report.save()
    _event(report, EventKind.CLOSED, actor, status=Status.CLOSED, text=(reason or "").strip())
    _tell_reporter(report, _status_subject(report), (reason or "").strip())
    return report


# --- Back to the citizen ------------------------------------------------------------------------


def _require_reporter(actor, report: Report) -> None:
    if actor is None or not getattr(actor, "pk", None) or actor.pk != report.reporter_id:
        raise PermissionDenied(_("Only the person who sent the report can do this."))


@transaction.atomic
def reopen_report(report: Report, *, actor, reason: str) -> Report:
    report = _fresh(report)
    _require_reporter(actor, report)
    if report.status not in (Status.ANSWERED, Status.CLOSED) or report.answered_at is None:
        raise ValidationError(_("Only an answered report can be reopened."))
    if timezone.now() - report.answered_at > datetime.timedelta(days=settings.FEEDBACK_REOPEN_DAYS):
        raise ValidationError(
            _("A report can be reopened within %(days)s days of the answer.") % {"days": settings.FEEDBACK_REOPEN_DAYS}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is still wrong.")})
    report.status, report.closed_at, report.rating = Status.IN_PROGRESS, None, None
    report.deadline = workdays.add_working_days(timezone.localdate(), report.service.deadline_days)
    report.save()
    _event(report, EventKind.REOPENED, actor, status=Status.IN_PROGRESS, text=reason)
    _tell_reporter(report, _status_subject(report), reason)
    return report


def parse_rating(raw) -> int:
    try:
        rating = int(str(raw).strip())
    except (TypeError, ValueError) as error:
        raise ValidationError({"rating": _("The rating is a whole number from 1 to 5.")}) from error
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("The rating is a whole number from 1 to 5.")})
    return rating


@transaction.atomic
def rate_report(report: Report, *, actor, rating) -> Report:
    report = _fresh(report)
    _require_reporter(actor, report)
    report.rating = parse_rating(rating)
    if report.status not in (Status.ANSWERED, Status.CLOSED):
        raise ValidationError(_("You can rate the answer once it arrives."))
    report.save()
    _event(report, EventKind.RATED, actor, text=str(report.rating))
    return report


def start_preparing(report: Report) -> Job:
    """Queue the job that prepares the report's pending photos (runs after the surrounding commit)."""
    return start_job(
        kind=photos_module.JOB_KIND,
        title=_("Photos of citizen report #%(number)s") % {"number": report.pk},
        actor=None,  # the worker acts for the platform; the change log keeps the filing request's id
        unit=report.unit,
        parameters={"report": report.pk},
    )


@transaction.atomic
def give_up_photos(report: Report) -> int:
    """Photos of the report still waiting after their last attempt are marked "could not be processed"
    (the office and the reporter see it instead of a placeholder for ever; the original, never served, is
    kept for the administrators) and the office is told once; the number given up."""
    from . import photos as photo_rules
    from .choices import PhotoStatus
    from .models import Photo

    spent = Photo.objects.select_for_update(skip_locked=True).filter(
        report=report, status=PhotoStatus.PENDING, attempts__gte=photo_rules.MAX_ATTEMPTS
    )
    given_up = 0
    for photo in spent:
        photo.status = PhotoStatus.FAILED
        photo.save(update_fields=["status", "updated_at"])
        given_up += 1
    if given_up:
        notify(
            _office_people(report),
            kind=PHOTO_FAILED_KIND,
            subject=_("A photo of citizen report #%(number)s could not be processed") % {"number": report.pk},
            body=_(
                "%(count)s photos could not be processed after %(tries)s tries; ask the reporter to send them again."
            )
            % {"count": given_up, "tries": photo_rules.MAX_ATTEMPTS},
            url=report.get_absolute_url(),
            related=report,
            dedupe_key=f"feedback-photo-failed-{report.pk}",
        )
    return given_up


# --- Catalogue --------------------------------------------------------------------------------


@transaction.atomic
def save_category(*, actor, category: ServiceCategory) -> ServiceCategory:
    """Add or change a category (the DX centre for any unit; a commune officer for their commune's own): the
    actor may act on the unit it belongs to and, when it moves, on the unit it leaves; its attribute
    definition is checked in its own shape."""
    if category.pk is None:
        require(actor, "feedback.add_servicecategory", category)
    else:
        require(actor, "feedback.change_servicecategory", ServiceCategory.objects.get(pk=category.pk))
        require(actor, "feedback.change_servicecategory", category)
    category.attributes = attributes_module.check_definition(category.attributes or [])
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def set_category_active(category: ServiceCategory, *, actor, active: bool) -> ServiceCategory:
    """Deactivate (offered nowhere, reports kept) or reactivate a category."""
    category = ServiceCategory.objects.select_for_update().get(pk=category.pk)
    require(actor, "feedback.change_servicecategory", category)
    category.is_active = active
    category.save(update_fields=["is_active"])
    return category


@transaction.atomic
def seed_holidays(year: int, *, actor=None) -> int:
    """The official holidays of `year` (workdays.official_holidays) that are not in the table yet."""
    from .models import Holiday

    require(actor, "feedback.add_holiday")
    known = set(Holiday.objects.filter(day__year=year).values_list("day", flat=True))
    fresh = [Holiday(day=day, name=name) for day, name in workdays.official_holidays(year) if day not in known]
    for holiday in fresh:
        holiday.full_clean()
        holiday.save()
    return len(fresh)


@transaction.atomic
def save_holiday(holiday, *, actor):
    require(actor, "feedback.add_holiday" if holiday.pk is None else "feedback.change_holiday")
    holiday.full_clean()
    holiday.save()
    return holiday


@transaction.atomic
def delete_holiday(holiday, *, actor) -> None:
    require(actor, "feedback.delete_holiday")
    holiday.delete()


@transaction.atomic
def save_routing_rule(rule, *, actor):
    require(actor, "feedback.add_routingrule" if rule.pk is None else "feedback.change_routingrule", rule)
    rule.full_clean()
    rule.save()
    return rule
