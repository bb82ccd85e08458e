"""The one write path of work items: assign, report progress, submit, accept or return, comment, attach."""

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.permissions import require

from . import sources
from .choices import Priority, Quality, Status
from .evaluation import recompute_later
from .models import StaffMember, WorkComment, WorkEvidence, WorkItem
from .people import manages, staff_of

EDITABLE_BY_ASSIGNEE = (Status.ASSIGNED, Status.IN_PROGRESS, Status.RETURNED)


def parse_quantity(raw) -> Decimal:
    try:
        value = Decimal(str(raw).replace(",", ".")) if raw not in (None, "") else Decimal(1)
    except InvalidOperation as error:
        raise ValidationError({"quantity": _("The quantity must be a number.")}) from error
    if not value.is_finite() or value < 0:
        raise ValidationError({"quantity": _("The quantity must be a number of 0 or more.")})
    return value


def _check_dates(item: WorkItem) -> None:
    if item.due_date and item.assigned_on and item.due_date < item.assigned_on:
        raise ValidationError({"due_date": _("The due date cannot be before the day the work is assigned.")})


@transaction.atomic
def create_item(
    *,
    actor,
    assignee,
    title: str,
    due_date: datetime.date,
    assigned_on: datetime.date | None = None,
    product=None,
    quantity=1,
    priority: str = Priority.NORMAL,
    description: str = "",
    source=None,
) -> WorkItem:
    """Give a piece of work to one person. `source` is a registered object (a plan task, a resolution...)."""
    staff = staff_of(assignee)
    if staff is None:
        raise ValidationError({"assignee": _("This person is not on the staff list of any body.")})
    item = WorkItem(
        unit=staff.organisation.unit,
        organisation=staff.organisation,
        title=(title or "").strip(),
        description=description or "",
        assignee=assignee,
        assigned_by=actor if getattr(actor, "pk", None) else None,
        assigned_on=assigned_on or timezone.localdate(),
        due_date=due_date,
        priority=priority,
        quantity=parse_quantity(quantity),
        product=product,
    )
    if not sources.may_assign(actor, source):  # the source's own rule (a meeting's chair...) stands for these
        require(actor, "work.add_workitem", item)
        if actor is not None and actor.pk != assignee.pk and not manages(actor, staff):
            raise PermissionDenied(_("You can only give work to yourself or to people you manage."))
    if product is not None and product.organisation_id != staff.organisation_id:
        raise ValidationError({"product": _("The product is not in the catalogue of this person's body.")})
    if source is not None:
        item.source_kind = sources.kind_of(source).code
        item.source_type = ContentType.objects.get_for_model(source)
        item.source_id = source.pk
    _check_dates(item)
    item.full_clean()
    item.save()
    _changed(item)
    return item


def _fresh(item: WorkItem) -> WorkItem:
    return WorkItem.objects.select_for_update(of=("self",)).select_related("organisation", "unit").get(pk=item.pk)


def _require_assignee(item: WorkItem, actor) -> None:
    require(actor, "work.change_workitem", item)
    if actor is not None and actor.pk != item.assignee_id:
        raise PermissionDenied(_("Only the person the work is assigned to can report on it."))


@transaction.atomic
def report_progress(item: WorkItem, *, actor, progress, note: str = "") -> WorkItem:
    item = _fresh(item)
    _require_assignee(item, actor)
    if item.status not in EDITABLE_BY_ASSIGNEE:
        raise ValidationError(_("This work is submitted or accepted; its progress can no longer change."))
    try:
        item.progress = int(progress)
    except (TypeError, ValueError) as error:
        raise ValidationError({"progress": _("Progress is a whole number from 0 to 100.")}) from error
    if not 0 <= item.progress <= 100:
        raise ValidationError({"progress": _("Progress is a whole number from 0 to 100.")})
    item.status = Status.IN_PROGRESS
    item.full_clean()
    item.save()
    if note.strip():
        WorkComment.objects.create(item=item, author=actor, text=note.strip())
    return item


@transaction.atomic
def submit(item: WorkItem, *, actor, note: str = "", day: datetime.date | None = None) -> WorkItem:
    """The assignee says the work is done (with evidence attached beforehand, if any)."""
    item = _fresh(item)
    _require_assignee(item, actor)
    if item.status not in EDITABLE_BY_ASSIGNEE:
        raise ValidationError(_("Only work that is assigned, in progress or returned can be submitted."))
    item.status, item.progress, item.submitted_on = Status.SUBMITTED, 100, day or timezone.localdate()
    item.save()
    if note.strip():
        WorkComment.objects.create(item=item, author=actor, text=note.strip())
    return item


def _require_reviewer(item: WorkItem, actor) -> None:
    require(actor, "work.accept_workitem", item)
    if actor is None:
        return
    if actor.pk == item.assignee_id:
        raise PermissionDenied(_("You cannot accept or return your own work."))
    staff = staff_of(item.assignee)
    if item.assigned_by_id != actor.pk and (staff is None or not manages(actor, staff)):
        raise PermissionDenied(_("Only the person who assigned the work or a manager of the assignee can do this."))


@transaction.atomic
def accept(item: WorkItem, *, actor, quality: str, day: datetime.date | None = None) -> WorkItem:
    item = _fresh(item)
    _require_reviewer(item, actor)
    if quality not in Quality.values:
        raise ValidationError({"quality": _("Choose a quality rating: excellent, good, fair or poor.")})
    if item.status != Status.SUBMITTED:
        raise ValidationError(_("Only submitted work can be accepted."))
    item.status, item.quality = Status.ACCEPTED, quality
    item.accepted_on, item.accepted_by = day or timezone.localdate(), actor if getattr(actor, "pk", None) else None
    item.save()
    _changed(item)
    return item


@transaction.atomic
def return_item(item: WorkItem, *, actor, reason: str) -> WorkItem:
    item = _fresh(item)
    _require_reviewer(item, actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the work is returned.")})
    if item.status != Status.SUBMITTED:
        raise ValidationError(_("Only submitted work can be returned."))
    item.status, item.return_reason = Status.RETURNED, reason.strip()
    item.times_returned += 1
    item.save()
    WorkComment.objects.create(item=item, author=actor, text=reason.strip())
    _changed(item)
    return item


@transaction.atomic
def add_comment(item: WorkItem, *, actor, text: str) -> WorkComment:
    require(actor, "work.view_workitem", item)
    if not (text or "").strip():
        raise ValidationError({"text": _("Write a comment.")})
    comment = WorkComment(item=item, author=actor, text=text.strip()[:5000])
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def add_evidence(item: WorkItem, *, actor, file, note: str = "") -> WorkEvidence:
    _require_assignee(item, actor)
    if file is None:
        raise ValidationError({"file": _("Choose a file.")})
    if item.status == Status.ACCEPTED:
        raise ValidationError(_("This work is accepted; its evidence can no longer change."))
    evidence = WorkEvidence(item=item, file=file, note=(note or "")[:300], uploaded_by=actor)
    evidence.full_clean()
    evidence.save()
    return evidence


def _changed(item: WorkItem) -> None:
    """An item moved: the assignee's month is recomputed after commit (unless it is frozen)."""
    recompute_later(item)


def rollup(source) -> dict:
    """How the personal items broken out of `source` (a plan task...) stand: counts and mean progress."""
    items = list(
        WorkItem.objects.filter(source_type=ContentType.objects.get_for_model(source), source_id=source.pk).values_list(
            "status", "progress"
        )
    )
    accepted = sum(1 for status, _progress in items if status == Status.ACCEPTED)
    mean = round(sum(progress for _status, progress in items) / len(items)) if items else 0
    return {"items": len(items), "accepted": accepted, "progress": mean}


@transaction.atomic
def hand_over(source, *, assignee=None, reason: str = "") -> int:
    """The source (a registered kind: a citizen report transferred to another office...) left the body its
    open items were given in: each item not yet reported done moves to `assignee` (on the staff list of the
    new body), with the reason as a comment; without an assignee they are withdrawn (deleted, so no one is
    scored on work that is no longer theirs; the change log keeps them). Submitted and accepted items stay.
    Returns the number of items moved or withdrawn."""
    kind = sources.kind_of(source)
    staff = staff_of(assignee) if assignee is not None else None
    if assignee is not None and staff is None:
        raise ValidationError({"assignee": _("This person is not on the staff list of any body.")})
    items = WorkItem.objects.select_for_update().filter(
        source_kind=kind.code,
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        status__in=EDITABLE_BY_ASSIGNEE,
    )
    count = 0
    for item in items:
        _changed(item)  # the former assignee's month
        count += 1
        if staff is None:
            item.delete()
            continue
        item.assignee, item.organisation, item.unit = assignee, staff.organisation, staff.organisation.unit
        item.status, item.progress = Status.ASSIGNED, 0
        item.save()
        if reason.strip():
            WorkComment.objects.create(item=item, author=None, text=reason.strip()[:2000])
        _changed(item)
    return count


@transaction.atomic
def save_staff_member(member: StaffMember, *, actor) -> StaffMember:
    """Put an official on a body's staff list, with their manager (no loops in the line)."""
    require(actor, "work.change_staffmember" if member.pk else "work.add_staffmember", member)
    manager = member.manager
    if manager is not None and member.pk and member.pk in {m.pk for m in manager.managers()} | {manager.pk}:
        raise ValidationError({"manager": _("A person cannot be above themselves in the line.")})
    member.full_clean()
    member.save()
    return member
