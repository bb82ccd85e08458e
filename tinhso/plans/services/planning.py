"""Plans and their targets, and scoring the subjects of a plans criteria set."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tinhso.core.permissions import require

from .. import periods
from ..models import Plan, Target


@transaction.atomic
def save_plan(plan: Plan, *, actor) -> Plan:
    require(actor, "plans.change_plan" if plan.pk else "plans.add_plan", plan)
    plan.full_clean()
    if plan.end_date < plan.start_date:
        raise ValidationError({"end_date": [_("The end date must not be before the start date.")]})
    plan.save()
    return plan


@transaction.atomic
def save_target(target: Target, *, actor) -> Target:
    require(actor, "plans.change_target" if target.pk else "plans.add_target", target)
    periods.parse(target.period)
    target.full_clean()
    target.save()
    return target


def score_subjects(criteria_set, period: str, *, actor) -> list:
    """Score every commune, district or department a plans criteria set covers, for `period`."""
    from tinhso.scoring import services as scoring

    from .. import ranking

    if criteria_set.subject_kind not in ranking.SUBJECT_KINDS:
        raise ValidationError(_("This criteria set does not score plans subjects."))
    periods.parse(period)
    subjects = ranking.subjects_for(criteria_set, period)
    return scoring.evaluate(criteria_set, period, subjects, ranking.provide_inputs, actor=actor)


@transaction.atomic
def delete_target(target: Target, *, actor) -> None:
    require(actor, "plans.delete_target", target)
    target.delete()


@transaction.atomic
def delete_plan(plan: Plan, *, actor) -> None:
    require(actor, "plans.delete_plan", plan)
    plan.delete()
