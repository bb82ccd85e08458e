from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tinhso.accounts.access import home_unit
from tinhso.core.files import stored_file_response, suffix
from tinhso.core.views import ObjectDetailView, ObjectListView, ServiceFormView

from . import services
from .filtersets import CriteriaSetFilterSet, EvaluationFilterSet
from .forms import CriteriaSetForm, CriterionForm, ReviewForm, ScoreEntryForm
from .models import CriteriaSet, Criterion, Evaluation, Score
from .privacy import shared_only
from .rules import Inputs, score
from .tables import CriteriaSetTable, EvaluationTable


class CriteriaSetListView(ObjectListView):
    model = CriteriaSet
    queryset = CriteriaSet.objects.select_related("unit")
    filterset_class = CriteriaSetFilterSet
    table_class = CriteriaSetTable
    title = gettext_lazy("Criteria sets")


class CriteriaSetDetailView(ObjectDetailView):
    model = CriteriaSet
    template_name = "scoring/criteriaset_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        criteria = list(self.object.criteria.all())
        context.update(
            criteria=_tree_order(criteria),
            can_change=self.request.user.has_perm("scoring.change_criteriaset", self.object),
            periods=self.object.evaluations.values_list("period", flat=True).distinct().order_by("-period"),
        )
        return context


def _tree_order(criteria: list[Criterion]) -> list[tuple[Criterion, int]]:
    """Criteria in reading order, each with its depth (groups before their members)."""
    children: dict[int | None, list[Criterion]] = {}
    for criterion in criteria:
        children.setdefault(criterion.parent_id, []).append(criterion)
    ordered: list[tuple[Criterion, int]] = []

    def walk(parent_id, depth):
        for criterion in sorted(children.get(parent_id, []), key=lambda c: (c.order, c.code)):
            ordered.append((criterion, depth))
            walk(criterion.pk, depth + 1)

    walk(None, 0)
    return ordered


class CriteriaSetEditView(ServiceFormView):
    form_class = CriteriaSetForm
    title = gettext_lazy("Criteria set")

    def dispatch(self, request, *args, **kwargs):
        """Refused before any form is shown (403; a set out of scope is 404): the service checks again on save."""
        if request.user.is_authenticated:
            if "pk" in kwargs:
                criteria_set = get_object_or_404(CriteriaSet.objects.restrict(request.user), pk=kwargs["pk"])
                allowed = request.user.has_perm("scoring.change_criteriaset", criteria_set)
            else:
                allowed = request.user.has_perm("scoring.add_criteriaset")
            if not allowed:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "pk" in self.kwargs:
            kwargs["instance"] = get_object_or_404(
                CriteriaSet.objects.restrict(self.request.user), pk=self.kwargs["pk"]
            )
        return kwargs

    def perform(self, form):
        criteria_set = form.save(commit=False)
        criteria_set.classification = form.cleaned_data["bands"]
        if not criteria_set.unit_id:
            criteria_set.unit = self._owner_unit()
        return services.save_criteria_set(criteria_set, actor=self.request.user)

    def _owner_unit(self):
        unit = home_unit(self.request.user, "scoring.add_criteriaset")
        if unit is None:
            raise PermissionDenied(_("You have no unit to own a criteria set."))
        return unit


class CriterionEditView(ServiceFormView):
    form_class = CriterionForm
    title = gettext_lazy("Criterion")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if "criterion" in kwargs:
                self.criterion = get_object_or_404(Criterion.objects.restrict(request.user), pk=kwargs["criterion"])
                self.criteria_set = self.criterion.criteria_set
            else:
                self.criteria_set = get_object_or_404(CriteriaSet.objects.restrict(request.user), pk=kwargs["pk"])
                self.criterion = Criterion(criteria_set=self.criteria_set)
            if not request.user.has_perm("scoring.change_criteriaset", self.criteria_set):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.criterion, "criteria_set": self.criteria_set}

    def perform(self, form):
        criterion = form.save(commit=False)
        criterion.criteria_set, criterion.thresholds = self.criteria_set, form.cleaned_data["steps"]
        services.save_criterion(criterion, actor=self.request.user)
        return self.criteria_set


class EvaluationListView(ObjectListView):
    model = Evaluation
    queryset = Evaluation.objects.select_related("unit", "criteria_set")
    filterset_class = EvaluationFilterSet
    table_class = EvaluationTable
    title = gettext_lazy("Evaluations")

    def get_queryset(self):
        return shared_only(super().get_queryset())


class EvaluationDetailView(ObjectDetailView):
    model = Evaluation
    queryset = Evaluation.objects.select_related("criteria_set", "unit", "verified_by")
    template_name = "scoring/evaluation_detail.html"

    def get_queryset(self):
        return shared_only(super().get_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluation, user = self.object, self.request.user
        scores = {s.criterion_id: s for s in evaluation.scores.select_related("criterion")}
        rows = [
            (criterion, depth, scores.get(criterion.pk), _explain(criterion, scores.get(criterion.pk)))
            for criterion, depth in _tree_order(list(evaluation.criteria_set.criteria.all()))
        ]
        context.update(
            rows=rows,
            entry_form=ScoreEntryForm(),
            review_form=ReviewForm(),
            can_enter=not evaluation.is_locked and user.has_perm("scoring.change_score", evaluation),
            can_verify=user.has_perm("scoring.verify_evaluation", services.verifying_unit(evaluation)),
        )
        return context


def _explain(criterion: Criterion, saved: Score | None) -> str:
    if saved is None:
        return ""
    inputs = Inputs(
        value=saved.value,
        numerator=saved.numerator,
        denominator=saved.denominator,
        answer=saved.answer,
        points=saved.entered_points,
    )
    return score(criterion, inputs).explanation


def score_evidence(request, pk):
    """The file backing a score, for those who may see the evaluation (out of scope: 404)."""
    found = get_object_or_404(Score.objects.restrict(request.user).exclude(evidence_file=""), pk=pk)
    name = found.evidence_file.name
    return stored_file_response(name, download_name=f"{found.pk}{suffix(name)}")


@require_POST
def enter_score(request, pk):
    saved = get_object_or_404(
        shared_only(Score.objects.restrict(request.user), "evaluation__criteria_set__subject_kind").select_related(
            "evaluation"
        ),
        pk=pk,
    )
    form = ScoreEntryForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        inputs = Inputs(
            value=data["value"],
            numerator=data["numerator"],
            denominator=data["denominator"],
            answer=data["answer"],
            points=data["points"],
        )
        _run(
            request,
            lambda: services.enter_score(
                saved,
                actor=request.user,
                inputs=inputs,
                evidence_note=data["evidence_note"],
                evidence_file=data["evidence_file"],
            ),
            _("Score saved."),
        )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(saved.evaluation)


@require_POST
def review(request, pk, decision):
    evaluation = get_object_or_404(shared_only(Evaluation.objects.restrict(request.user)), pk=pk)
    note = request.POST.get("note", "")
    if decision == "verify":
        _run(request, lambda: services.verify(evaluation, actor=request.user, note=note), _("Verified."))
    else:
        _run(
            request,
            lambda: services.return_for_correction(evaluation, actor=request.user, reason=note),
            _("Returned for correction."),
        )
    return redirect(evaluation)


def _run(request, action, success: str) -> None:
    try:
        action()
        messages.success(request, success)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
