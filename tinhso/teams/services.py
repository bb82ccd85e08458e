"""The one write path of community DX teams: teams, members, field activities and their catalogue."""

import datetime
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.models import normalise_phone
from tinhso.core.changelog import log_bulk_create
from tinhso.core.jobs import start_job
from tinhso.core.models import Job
from tinhso.core.periods import parse_period
from tinhso.core.permissions import require
from tinhso.core.text import fold, short_date
from tinhso.scoring.choices import EvaluationStatus
from tinhso.scoring.models import CriteriaSet, Evaluation
from tinhso.scoring.services import Subject, evaluate
from tinhso.units.choices import TYPE_PREFIX
from tinhso.units.models import Unit
from tinhso.units.snapshot import snapshot_on

from .choices import MemberRole, TeamLevel
from .evidence import MAX_FILES, check_files
from .indices import SUBJECT_KINDS, provide_inputs, teams_of_period
from .models import Activity, ActivityType, Evidence, Member, Person, Team

TEAM_EDITABLE_FIELDS = ("name", "decision_number", "founded_on", "decision_signer", "ended_on", "note")
PERSON_EDITABLE_FIELDS = ("full_name", "phone", "gender", "ethnicity", "birth_year", "skills")
MEMBER_EDITABLE_FIELDS = ("role", "joined_on", "left_on")
ACTIVITY_TYPE_FIELDS = ("code", "name", "description", "order", "is_active")
# Keys sent by clients are namespaced by user, so that two people's keys never meet.
IDEMPOTENCY_NAMESPACE = uuid.UUID("6f1d8a52-3c5e-4d0b-9a57-5b2f0e7c41d9")


def default_team_name(unit: Unit) -> str:
    prefix = TYPE_PREFIX.get(unit.unit_type, "").lower()
    return f"Tổ Chuyển đổi số cộng đồng {prefix} {unit.short_name or unit.name}".replace("  ", " ")


# --- Teams ---------------------------------------------------------------------------------


@transaction.atomic
def create_team(*, actor, unit: Unit, decision_number: str, founded_on: datetime.date, decision_signer: str, **extra):
    team = Team(
        unit=unit,
        decision_number=decision_number.strip(),
        founded_on=founded_on,
        decision_signer=decision_signer.strip(),
        **extra,
    )
    team.name = (team.name or "").strip() or default_team_name(unit)
    require(actor, "teams.add_team", team)
    _validate_team(team)
    team.save()
    return team


@transaction.atomic
def update_team(team: Team, *, actor, changes: dict) -> Team:
    require(actor, "teams.change_team", team)
    _set_fields(team, changes, TEAM_EDITABLE_FIELDS)
    _validate_team(team)
    team.save()
    if team.ended_on is not None:
        end_memberships(team, team.ended_on)
    return team


def end_memberships(team: Team, last_day: datetime.date) -> None:
    """A dissolved team's members leave with it: nobody serves on it after its last day (history stays)."""
    serving = Member.objects.filter(team=team, joined_on__lte=last_day).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=last_day)
    )
    for member in serving:
        member.left_on = last_day
        member.save(update_fields=["left_on", "updated_at"])


def _set_fields(obj, changes: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for field, value in changes.items():
        setattr(obj, field, value)


def _validate_team(team: Team) -> None:
    if team.unit.level not in TeamLevel.values:
        raise ValidationError({"unit": _("A team belongs to a commune or a village.")})
    team.level = team.unit.level
    team.full_clean(exclude=["search_name", "level"])
    if not team.unit.is_valid_on(team.founded_on):
        raise ValidationError(
            {
                "founded_on": _("%(unit)s did not exist on %(date)s.")
                % {"unit": team.unit, "date": short_date(team.founded_on)}
            }
        )
    if team.ended_on and team.ended_on < team.founded_on:
        raise ValidationError({"ended_on": _("A team cannot be dissolved before it was founded.")})
    other = _other_active_team(team)
    if other is not None:
        raise ValidationError(
            {
                "unit": _("%(unit)s already has a team: %(team)s. Dissolve it first.")
                % {"unit": team.unit, "team": other}
            }
        )


def _other_active_team(team: Team) -> Team | None:
    """Another team serving the same place over an overlapping span (one team per place, guide 793/BTTTT)."""
    versions = snapshot_on(team.founded_on).versions_of(team.unit_id)
    overlapping = Team.objects.filter(unit_id__in=versions).exclude(pk=team.pk)
    overlapping = overlapping.exclude(ended_on__lt=team.founded_on)
    if team.ended_on:
        overlapping = overlapping.exclude(founded_on__gt=team.ended_on)
    return overlapping.first()


# --- People and members --------------------------------------------------------------------


@transaction.atomic
def add_member(*, actor, team: Team, person_fields: dict, role: str, joined_on: datetime.date) -> Member:
    """Put a person on a team; someone already known by their phone number is reused."""
    person = _find_or_build_person(person_fields)
    member = Member(team=team, person=person, role=role, joined_on=joined_on)
    require(actor, "teams.add_member", member)
    if person.pk is None:
        person.full_clean(exclude=["search_name"])
        person.save()
        member.person = person
    _validate_member(member)
    member.save()
    return member


def _find_or_build_person(fields: dict) -> Person:
    fields = {**fields, "phone": normalise_phone(fields.get("phone"))}
    existing = Person.objects.filter(phone=fields["phone"]).first() if fields["phone"] else None
    return existing or Person(**{key: value for key, value in fields.items() if key in PERSON_EDITABLE_FIELDS})


@transaction.atomic
def update_member(member: Member, *, actor, changes: dict) -> Member:
    require(actor, "teams.change_member", member)
    _set_fields(member, changes, MEMBER_EDITABLE_FIELDS)
    _validate_member(member)
    member.save()
    return member


@transaction.atomic
def update_person(person: Person, *, actor, changes: dict) -> Person:
    require(actor, "teams.change_person", person)
    _set_fields(person, changes, PERSON_EDITABLE_FIELDS)
    person.phone = normalise_phone(person.phone)
    person.full_clean(exclude=["search_name"])
    person.save()
    return person


def _validate_member(member: Member) -> None:
    member.full_clean(exclude=["team", "person"], validate_constraints=False)
    team = member.team
    if member.joined_on < team.founded_on or (team.ended_on and member.joined_on > team.ended_on):
        raise ValidationError({"joined_on": _("The joining date must fall while the team exists.")})
    if member.left_on and member.left_on < member.joined_on:
        raise ValidationError({"left_on": _("A member cannot leave before joining.")})
    others = Member.objects.filter(team=team).exclude(pk=member.pk).filter(left_on__isnull=True)
    if member.left_on is None and others.filter(person=member.person).exists():
        raise ValidationError(_("%(person)s is already a member of this team.") % {"person": member.person})
    leader = others.filter(role=MemberRole.LEADER).select_related("person").first()
    if member.role == MemberRole.LEADER and member.left_on is None and leader is not None:
        raise ValidationError(
            {
                "role": _("The team already has a leader, %(person)s: record their leaving first.")
                % {"person": leader.person}
            }
        )


# --- Field activities ----------------------------------------------------------------------


class DuplicateSubmission(Exception):
    """The submission key was already used for a different activity (the draft changed after sending)."""

    def __init__(self, activity: Activity):
        self.activity = activity
        super().__init__(_("This submission was already recorded with different details."))


def submission_key(actor, raw_key: str) -> uuid.UUID:
    return uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{getattr(actor, 'pk', None)}:{raw_key.strip()}")


@transaction.atomic
def record_activity(*, actor, team: Team, files=(), idempotency_key: str = "", **fields) -> tuple[Activity, bool]:
    """Record an activity; (activity, created). The same key sent again returns the first activity."""
    key = submission_key(actor, idempotency_key) if idempotency_key else None
    activity = Activity(
        team=team, idempotency_key=key, recorded_by=actor if getattr(actor, "pk", None) else None, **fields
    )
    require(actor, "teams.add_activity", activity)
    activity.village = _village_of(team, activity.date, activity.village)
    earlier = _earlier_submission(activity)
    if earlier is not None:
        return earlier, False
    accepted = check_files(list(files))
    _validate_activity(activity)
    try:
        with transaction.atomic():
            activity.save()
    except IntegrityError:
        # The same key arrived twice at the same moment: the other request won.
        return _earlier_submission(activity) or activity, False
    _attach(activity, accepted)
    return activity, True


def _earlier_submission(activity: Activity) -> Activity | None:
    if activity.idempotency_key is None:
        return None
    earlier = Activity.objects.filter(idempotency_key=activity.idempotency_key).first()
    if earlier is not None and _details(earlier) != _details(activity):
        raise DuplicateSubmission(earlier)
    return earlier


def _details(activity: Activity) -> tuple:
    return (
        activity.team_id,
        activity.activity_type_id,
        activity.date,
        activity.village_id,
        activity.people_reached,
        activity.households_reached,
    )


def _validate_activity(activity: Activity) -> None:
    """Every problem at once, so that the person corrects the form once."""
    errors: dict[str, list] = {}
    try:
        activity.full_clean(exclude=["idempotency_key", "recorded_by"])
    except ValidationError as error:
        errors.update(error.message_dict)
    for field, messages in activity_problems(
        activity.team, activity.date, activity.activity_type if activity.activity_type_id else None
    ).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    activity.village = _village_of(activity.team, activity.date, activity.village)


def activity_problems(team: Team, day: datetime.date | None, activity_type=None) -> dict[str, list[str]]:
    """What is wrong with recording an activity of `team` on `day` (forms and API show it next to the
    errors of the other fields; `record_activity` refuses it)."""
    problems: dict[str, list[str]] = {}
    if day is not None and day > timezone.localdate():
        problems["date"] = [_("The date cannot be in the future.")]
    elif day is not None and not team.is_active_on(day):
        problems["date"] = [_("%(team)s was not active on %(date)s.") % {"team": team, "date": short_date(day)}]
    if activity_type is not None and not activity_type.is_active:
        problems["activity_type"] = [_("This kind of activity is no longer in use.")]
    return problems


def find_village(code: str | None, day: datetime.date) -> Unit | None:
    """The village with this code on that day (codes are kept across reorganisations)."""
    if not code:
        return None
    village = Unit.objects.valid_on(day).filter(code=code.strip(), level="village").first()
    if village is None:
        raise ValidationError(
            {"village": _("No village has code %(code)s on %(date)s.") % {"code": code, "date": short_date(day)}}
        )
    return village


def _village_of(team: Team, day: datetime.date, village: Unit | None) -> Unit | None:
    """A village team works in its own village; a commune team in any village of its commune, or commune-wide."""
    structure = snapshot_on(day)
    home = structure.representative(team.unit_id)
    if home is None:
        raise ValidationError({"date": _("The team's unit has no successor on this date.")})
    if team.level == TeamLevel.VILLAGE:
        if village is not None and village.pk != home.id:
            raise ValidationError({"village": _("A village team records activities in its own village only.")})
        return Unit.objects.get(pk=home.id)
    if village is not None and (not village.is_valid_on(day) or not village.path.startswith(home.path)):
        raise ValidationError(
            {
                "village": _("%(village)s is not a village of %(commune)s on %(date)s.")
                % {"village": village, "commune": home.name, "date": short_date(day)}
            }
        )
    return village


def _attach(activity: Activity, accepted) -> None:
    for uploaded, content_type in accepted:
        evidence = Evidence(
            activity=activity,
            original_name=(getattr(uploaded, "name", "") or "file")[-200:],
            content_type=content_type,
            size=uploaded.size,
        )
        evidence.file.save(evidence.original_name, uploaded, save=False)
        evidence.save()


ACTIVITY_EDITABLE_FIELDS = ("activity_type", "date", "village", "people_reached", "households_reached", "description")


@transaction.atomic
def update_activity(activity: Activity, *, actor, changes: dict, files=()) -> Activity:
    require(actor, "teams.change_activity", activity)
    _check_period_open(activity.team, activity.date)
    _set_fields(activity, changes, ACTIVITY_EDITABLE_FIELDS)
    _check_period_open(activity.team, activity.date)
    accepted = check_files([*files]) if files else []
    if activity.evidence.count() + len(accepted) > MAX_FILES:
        raise ValidationError({"evidence": _("Attach at most %(count)d files.") % {"count": MAX_FILES}})
    _validate_activity(activity)
    activity.save()
    _attach(activity, accepted)
    return activity


def _check_period_open(team: Team, day: datetime.date) -> None:
    """Activities a verified evaluation was based on stay as they were. (A late activity may still be
    recorded: the verified score does not move until the verifier returns it for correction.)"""
    verified = Evaluation.objects.filter(
        subject_type=ContentType.objects.get_for_model(Team), subject_id=team.pk, status=EvaluationStatus.VERIFIED
    )
    for period_code in verified.values_list("period", flat=True):
        period = parse_period(period_code)
        if period.contains(day):
            raise ValidationError(
                {
                    "date": _("The evaluation of %(period)s is verified: its activities can no longer change.")
                    % {"period": period.label()}
                }
            )


@transaction.atomic
def delete_activity(activity: Activity, *, actor) -> None:
    require(actor, "teams.delete_activity", activity)
    _check_period_open(activity.team, activity.date)
    for evidence in activity.evidence.all():
        shared = Evidence.objects.filter(file=evidence.file.name).exclude(pk=evidence.pk).exists()
        if not shared:
            evidence.file.delete(save=False)
        evidence.delete()
    activity.delete()


# --- The catalogue of activity types ---------------------------------------------------------


@transaction.atomic
def save_activity_type(activity_type: ActivityType | None, *, actor, data: dict[str, Any]) -> ActivityType:
    activity_type = activity_type or ActivityType()
    require(actor, "teams.change_activitytype" if activity_type.pk else "teams.add_activitytype")
    _set_fields(activity_type, data, ACTIVITY_TYPE_FIELDS)
    activity_type.full_clean()
    activity_type.save()
    return activity_type


# --- Evaluation ----------------------------------------------------------------------------


def criteria_set_for(level: str, period_code: str) -> CriteriaSet:
    """The criteria set in force for teams of `level` in the period (sets are versioned by period)."""
    candidates = CriteriaSet.objects.filter(subject_kind=SUBJECT_KINDS[level]).order_by("-first_period")
    found = next((criteria_set for criteria_set in candidates if criteria_set.applies_to(period_code)), None)
    if found is None:
        raise ValidationError(
            _("No criteria set for %(level)s applies to %(period)s: add one under Criteria and scores.")
            % {"level": TeamLevel(level).label.lower(), "period": parse_period(period_code).label()}
        )
    return found


def evaluate_teams(level: str, period_code: str, *, actor) -> list[Evaluation]:
    """Score every team of a level for a period with the criteria set in force (see indices.py)."""
    period = parse_period(period_code)
    criteria_set = criteria_set_for(level, period_code)
    teams = teams_of_period(level, period).select_related("unit")
    subjects = [Subject(team, team.unit, team.name) for team in teams]
    return evaluate(criteria_set, period_code, subjects, provide_inputs, actor=actor)


# --- Imports and background work ---------------------------------------------------------------

MEMBER_WRITE_CHUNK = 1000  # members written between two progress reports


def people_with_phones(phones: set) -> list[Person]:
    ordered, found = sorted(phones), list[Person]()
    for start in range(0, len(ordered), 2000):
        found += Person.objects.filter(phone__in=ordered[start : start + 2000])
    return found


@transaction.atomic
def add_members_in_bulk(entries, *, actor, progress=None) -> int:
    """Many members at once (an import), each entry already checked row by row (importers/members.py).

    An entry has team, person_key, person (fields), role and joined_on. People are found by phone or
    created; every write is logged. The actor must be allowed to add members to every team named.
    """
    for team in {entry.team for entry in entries}:
        require(actor, "teams.add_member", team)
    people = _people_for(entries)
    total = len(entries)
    for start in range(0, total, MEMBER_WRITE_CHUNK):
        chunk = entries[start : start + MEMBER_WRITE_CHUNK]
        members = [Member(team=e.team, person=people[e.person_key], role=e.role, joined_on=e.joined_on) for e in chunk]
        log_bulk_create(Member.objects.bulk_create(members))
        if progress:
            done = start + len(chunk)
            message = _("Writing member %(index)d of %(total)d") % {"index": done, "total": total}
            progress(total + done, total * 2, message)
    return total


def _people_for(entries) -> dict[str, Person]:
    existing = {person.phone: person for person in people_with_phones({e.person["phone"] for e in entries} - {None})}
    people: dict[str, Person] = {}
    new = []
    for entry in entries:
        if entry.person_key in people:
            continue
        person = existing.get(entry.person["phone"]) if entry.person["phone"] else None
        if person is None:
            person = Person(**entry.person, search_name=fold(entry.person["full_name"])[:150])
            person.__dict__["known_unit_paths"] = [entry.team.unit.path]  # logging needs no query (see Person)
            new.append(person)
        people[entry.person_key] = person
    log_bulk_create(Person.objects.bulk_create(new, batch_size=1000))
    return people


def start_member_import(uploaded, *, actor) -> Job:
    """Import members from a spreadsheet in the background (the page and the API both start it here)."""
    require(actor, "teams.import_member")
    return start_job(
        kind="teams.import_members",
        title=_("Import team members: %(file)s") % {"file": uploaded.name},
        actor=actor,
        input_file=uploaded,
    )


def start_team_evaluation(level: str, period_code: str, *, actor) -> Job:
    """Compute (again) the scores of every team of a level for a period, in the background."""
    require(actor, "scoring.add_evaluation")
    names = {"level": TeamLevel(level).label.lower(), "period": parse_period(period_code).label()}
    return start_job(
        kind="teams.evaluate",
        title=_("Scores of %(level)s, %(period)s") % names,
        actor=actor,
        parameters={"level": level, "period": period_code},
    )
