from types import SimpleNamespace

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, status, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from tinhso.core.api.viewsets import ScopedViewSetMixin

from .. import services
from ..choices import AppealStatus
from ..evaluation import (
    explain_month,
    explain_quarter,
    explain_year,
    month_code,
    quarter_code,
    visible_staff_ids,
    year_code,
)
from ..filtersets import WorkItemFilterSet
from ..models import Product, StaffMember, WorkItem
from .serializers import (
    AppealCreateSerializer,
    AppealDecideSerializer,
    AppealSerializer,
    DashboardBodyDetailSerializer,
    DashboardSerializer,
    EvaluationApproveSerializer,
    EvaluationCommentSerializer,
    EvaluationGradeSerializer,
    EvaluationPointsSerializer,
    EvaluationReopenSerializer,
    EvaluationResultSerializer,
    EvaluationReviewSerializer,
    WorkAcceptSerializer,
    WorkItemCreateSerializer,
    WorkItemSerializer,
    WorkProgressSerializer,
    WorkReturnSerializer,
    WorkSubmitSerializer,
    YearGradeSerializer,
)


class WorkItemViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Work items of people in the caller's units: assign, report progress, submit, accept with a quality
    rating, or return."""

    queryset = WorkItem.objects.select_related("assignee", "product")
    serializer_class = WorkItemSerializer
    filterset_class = WorkItemFilterSet
    ordering_fields = ["due_date", "assigned_on", "priority"]
    lookup_value_regex = r"[0-9]+"
    # Seeing the item is the gate; the services check each action (assignee, manager, unit).
    required_permission = "work.view_workitem"

    def _done(self, item, code=status.HTTP_200_OK):
        item = self.get_queryset().get(pk=item.pk)
        return Response(WorkItemSerializer(item).data, status=code)

    @extend_schema(request=WorkItemCreateSerializer, responses={201: WorkItemSerializer})
    def create(self, request):
        data = _valid(WorkItemCreateSerializer, request)
        staff = (
            StaffMember.objects.restrict(request.user).select_related("user").filter(user_id=data["assignee"]).first()
        )
        if staff is None:
            raise ValidationError({"assignee": [_("No such person on the staff lists you can see.")]})
        product = None
        if data.get("product"):
            product = Product.objects.restrict(request.user).filter(pk=data["product"]).first()
            if product is None:
                raise ValidationError({"product": [_("No such product in the catalogues you can see.")]})
        item = services.create_item(
            actor=request.user,
            assignee=staff.user,
            title=data["title"],
            description=data["description"],
            assigned_on=data.get("assigned_on"),
            due_date=data["due_date"],
            priority=data["priority"],
            product=product,
            quantity=data["quantity"],
        )
        return self._done(item, status.HTTP_201_CREATED)

    @extend_schema(request=WorkSubmitSerializer, responses=WorkItemSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        data = _valid(WorkSubmitSerializer, request)
        return self._done(services.submit(self.get_object(), actor=request.user, note=data["note"]))

    @extend_schema(request=WorkAcceptSerializer, responses=WorkItemSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = _valid(WorkAcceptSerializer, request)
        return self._done(services.accept(self.get_object(), actor=request.user, quality=data["quality"]))

    @extend_schema(request=WorkReturnSerializer, responses=WorkItemSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_item(self, request, pk=None):
        data = _valid(WorkReturnSerializer, request)
        return self._done(services.return_item(self.get_object(), actor=request.user, reason=data["reason"]))

    @extend_schema(request=WorkProgressSerializer, responses=WorkItemSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        data = _valid(WorkProgressSerializer, request)
        item = services.report_progress(
            self.get_object(), actor=request.user, progress=data["progress"], note=data["note"]
        )
        return self._done(item)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


PERSON = OpenApiParameter("person", int, required=True, description="Id of the person (user).")
PERIOD = OpenApiParameter(
    "period", str, required=True, description="A month (2026-03), a quarter (2026Q1) or a year (2026)."
)


class EvaluationView(APIView):
    """An official's score for a month or a year, with its grade and explanation line by line. Visible to the
    official, their managers up the line and the body's personnel officers only; anyone else gets 404."""

    required_permission = None

    @extend_schema(parameters=[PERSON, PERIOD], responses=EvaluationResultSerializer)
    def get(self, request):
        person, period = request.query_params.get("person", ""), (request.query_params.get("period") or "").strip()
        if not (person.isascii() and person.isdigit() and len(person) <= 18):
            raise ValidationError({"person": [_("Give the id of a person.")]})
        staff = StaffMember.objects.select_related("user", "organisation__unit").filter(user_id=int(person)).first()
        if staff is None or staff.pk not in visible_staff_ids(request.user):
            raise Http404
        if period.isdigit() and len(period) == 4:
            result = explain_year(staff, year_code(period))
        elif "Q" in period.upper():
            result = explain_quarter(staff, quarter_code(period))
        else:
            result = _month_result(staff, month_code(period))
        return Response(EvaluationResultSerializer(result).data)


def _month_result(staff: StaffMember, period: str) -> dict:
    explained = explain_month(staff, period)
    review = explained.review
    return {
        "person": staff.user_id,
        "person_name": str(staff),
        "period": f"{period[:4]}-{period[4:]}",
        "score": explained.score,
        "grade": explained.grade["code"] if explained.grade else "",
        "grade_label": str(explained.grade["label"]) if explained.grade else "",
        "status": review.status if review else "",
        "explanation": explained.criteria_lines,
        "items": [line.explanation() for line in explained.item_lines] + explained.unit_lines,
    }


class CatalogueImportView(APIView):
    """Import a body's product catalogue (code, name, measure, factor, effective from) from .xlsx or .csv: all
    rows are checked first; any bad row → 400 listing every bad row, nothing written."""

    required_permission = "work.add_product"
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "WorkCatalogueImport",
                {"organisation": drf_serializers.IntegerField(), "file": drf_serializers.FileField()},
            )
        },
        responses={
            201: inline_serializer(
                "WorkCatalogueImportResult",
                {"products": drf_serializers.IntegerField(), "factors": drf_serializers.IntegerField()},
            )
        },
    )
    def post(self, request):
        from tinhso.units.models import Organisation

        from ..catalogue import import_catalogue

        raw = str(request.data.get("organisation", ""))
        organisation = (
            Organisation.objects.restrict(request.user).filter(pk=int(raw)).first() if raw.isdigit() else None
        )
        if organisation is None:
            raise ValidationError({"organisation": [_("No such organisation among yours.")]})
        if "file" not in request.FILES:
            raise ValidationError({"file": [_("Choose a file.")]})
        result = import_catalogue(organisation, request.FILES["file"], actor=request.user)
        return Response(result, status=status.HTTP_201_CREATED)


# --- appeals ---------------------------------------------------------------------------------------

APPEAL_FILTERS = [
    OpenApiParameter("mine", bool, description="true: only the appeals the caller filed."),
    OpenApiParameter("to_decide", bool, description="true: only the pending appeals the caller may decide."),
    OpenApiParameter("status", str, enum=["pending", "accepted", "rejected"]),
    OpenApiParameter("period", str, description="202603, 2026Q1 or 2026."),
]


def _flag(request, name: str) -> bool:
    raw = (request.query_params.get(name) or "").strip().lower()
    if raw in ("", "false", "0"):
        return False
    if raw in ("true", "1"):
        return True
    raise ValidationError({name: [_("Write true or false.")]})


class AppealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Appeals against the score or grade of a month, a quarter or a year. Seen like the scores they are
    about (the official, the managers up the line, the body's head and personnel officers; anyone else: 404);
    filed by the official only, decided by whoever approves that person's months."""

    serializer_class = AppealSerializer
    lookup_value_regex = r"[0-9]{1,18}"
    filter_backends: list = []  # the filters below, newest first (the model's ordering)
    # Seeing appeals at all is the gate; the services check filing and deciding on each appeal.
    required_permission = "work.view_appeal"

    def get_queryset(self):
        from .. import appeals

        found = appeals.visible_appeals(self.request.user).select_related("staff__organisation__unit")
        if self.action != "list":
            return found
        request = self.request
        if _flag(request, "mine"):
            found = found.filter(staff__user=request.user)
        status_ = (request.query_params.get("status") or "").strip()
        if status_:
            if status_ not in AppealStatus.values:
                raise ValidationError({"status": [_("Choose pending, accepted or rejected.")]})
            found = found.filter(status=status_)
        period = (request.query_params.get("period") or "").strip()
        if period:
            try:
                found = found.filter(period=appeals.period_of_appeal(period[:10]))
            except DjangoValidationError as error:
                raise ValidationError(error.message_dict) from error
        if _flag(request, "to_decide"):
            pending = found.filter(status=AppealStatus.PENDING).select_related("staff")
            found = found.filter(pk__in=[a.pk for a in pending if appeals.may_decide(request.user, a)])
        return found

    @extend_schema(parameters=APPEAL_FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=AppealCreateSerializer, responses={201: AppealSerializer})
    def create(self, request):
        from .. import appeals

        data = _valid(AppealCreateSerializer, request)
        staff = StaffMember.objects.filter(user=request.user).select_related("organisation__unit").first()
        if staff is None:
            raise PermissionDenied(_("You are not on the staff list of any body."))
        appeal = appeals.file_appeal(staff, actor=request.user, period=data["period"], reason=data["reason"])
        return Response(self._read(appeal), status=status.HTTP_201_CREATED)

    @extend_schema(request=AppealDecideSerializer, responses=AppealSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        from .. import appeals

        data = _valid(AppealDecideSerializer, request)
        appeal = appeals.decide_appeal(
            self.get_object(),
            actor=request.user,
            accept=data["outcome"] == "accept",
            answer=data["answer"],
            grade=data["grade"],
        )
        return Response(self._read(appeal))

    def _read(self, appeal):
        from .. import appeals

        appeal = appeals.visible_appeals(self.request.user).get(pk=appeal.pk)
        return AppealSerializer(appeal, context=self.get_serializer_context()).data


# --- dashboard -------------------------------------------------------------------------------------

DASHBOARD_PERIOD = [
    OpenApiParameter("year", int, description="The year (default: this year, up to today)."),
    OpenApiParameter("month", str, description="A month instead (2026-03)."),
]


def _dashboard_period(request):
    """?month=2026-03 or ?year=2026 (default: this year); a bad one is a 400, not a silent default."""
    from django.utils import timezone

    from tinhso.core.periods import parse_period, period_of

    month = (request.query_params.get("month") or "").strip()
    if month:
        try:
            return parse_period(month_code(month[:10]))
        except DjangoValidationError as error:
            raise ValidationError({"month": [_("Give a month as 2026-03.")]}) from error
    raw = (request.query_params.get("year") or "").strip()
    if not raw:
        return period_of(timezone.localdate().replace(month=1, day=1), "year")
    if not (raw.isdigit() and len(raw) == 4 and 2000 <= int(raw) <= 2100):
        raise ValidationError({"year": [_("Give a year between 2000 and 2100.")]})
    return parse_period(raw)


def _row(row) -> SimpleNamespace:
    return SimpleNamespace(
        **{
            "key": row.key,
            "name": row.name,
            "unit": row.unit,
            "total": row.total,
            "accepted": row.accepted,
            "on_time": row.on_time,
            "overdue": row.overdue,
            "done_percent": row.done_percent,
            "on_time_percent": row.on_time_percent,
            "results": row.results,
            "grades": row.grades,
            "allowed_excellent": row.allowed_excellent,
            "excellent": row.excellent,
            "quota_breached": row.quota_breached,
            "sees_scores": row.sees_scores,
            "quarters": row.quarters if row.sees_scores else None,
            "year_grade": row.year_grade if row.sees_scores else None,
            "sees_grades": row.sees_grades,
        }
    )


class DashboardView(APIView):
    """Completion and lateness of the work due in a period, one row per body whose work the caller may see:
    items due so far, % accepted, % on time, overdue, the body's unit results, and the year's grades against
    the excellent quota only for the body's head and personnel officers. `unit` narrows to an administrative
    unit (the drill-down; out of reach: 404)."""

    required_permission = "work.view_workitem"

    @extend_schema(
        parameters=[*DASHBOARD_PERIOD, OpenApiParameter("unit", int, description="Id of an administrative unit.")],
        responses=DashboardSerializer,
    )
    def get(self, request):
        from django.utils import timezone

        from tinhso.units.models import Unit

        from .. import dashboard

        period = _dashboard_period(request)
        within = None
        raw = (request.query_params.get("unit") or "").strip()
        if raw:
            if not raw.isdigit() or len(raw) > 18:
                raise ValidationError({"unit": [_("Give the id of a unit.")]})
            within = Unit.objects.restrict(request.user).filter(pk=int(raw)).first()
            if within is None:
                raise Http404
        rows = dashboard.bodies(request.user, period, within=within, today=timezone.localdate())
        trail: list = []
        unit = within
        while unit is not None:
            trail.insert(0, unit)
            unit = unit.parent
        data = {
            "period": period,
            "unit": within,
            "trail": trail,
            "total": _row(dashboard.totals(rows)),
            "rows": [_row(row) for row in rows],
        }
        return Response(DashboardSerializer(data).data)


class DashboardBodyView(APIView):
    """One body's people: the work due in the period per person; their quarter and year grades only where the
    caller may see that person's scores (`sees_scores`). A body out of reach: 404."""

    required_permission = "work.view_workitem"

    @extend_schema(
        operation_id="work_dashboard_body_retrieve",
        parameters=DASHBOARD_PERIOD,
        responses=DashboardBodyDetailSerializer,
    )
    def get(self, request, organisation: int):
        from django.utils import timezone

        from tinhso.units.models import Organisation

        from .. import dashboard

        found = Organisation.objects.restrict(request.user).select_related("unit").filter(pk=organisation).first()
        if found is None:
            raise Http404
        period = _dashboard_period(request)
        rows = dashboard.people(request.user, found, period, today=timezone.localdate())
        data = {
            "organisation": found,
            "period": period,
            "total": _row(dashboard.totals(rows)),
            "rows": [_row(row) for row in rows],
        }
        return Response(DashboardBodyDetailSerializer(data).data)


# --- the month's approval and the year's grade -----------------------------------------------------


def _seen_staff(request, person: int) -> StaffMember:
    staff = StaffMember.objects.select_related("user", "organisation__unit").filter(user_id=person).first()
    if staff is None or staff.pk not in visible_staff_ids(request.user):
        raise Http404
    return staff


def _clean(value: str, field: str, *, multiline: bool = False) -> str:
    from tinhso.core.text import clean_text

    try:
        return clean_text(value or "", multiline=multiline).strip()
    except DjangoValidationError as error:
        raise ValidationError({field: error.messages}) from error


class ReviewStepView(APIView):
    """One step of an official's month through the one write path (`evaluation.<step>`). The month is found
    among the reviews the caller's units hold (core's `restrict`) and whose scores the caller may see; else 404.
    The service then says whether this caller may take this step now (403) and whether the input holds (400)."""

    required_permission = "work.change_monthlyreview"
    serializer_class: type[drf_serializers.Serializer] = EvaluationApproveSerializer

    def perform(self, review, data):
        raise NotImplementedError

    def post(self, request):
        from ..models import MonthlyReview

        data = _valid(self.serializer_class, request)
        staff = _seen_staff(request, data["person"])
        try:
            code = month_code(data["period"])
        except DjangoValidationError as error:
            raise ValidationError({"period": error.messages}) from error
        review = MonthlyReview.objects.restrict(request.user).filter(staff=staff, period=code).first()
        if review is None:
            raise ValidationError({"period": [_("This month has no score yet.")]})
        review = self.perform(review, data)
        review = MonthlyReview.objects.select_related("staff__user").get(pk=review.pk)
        return Response(EvaluationReviewSerializer(review).data)


class EvaluationSelfAssessmentView(ReviewStepView):
    """The official's own self-assessment of the general criteria (points and a comment), until the manager
    has reviewed the month. Only the official; a frozen month only after a reopen."""

    serializer_class = EvaluationPointsSerializer

    @extend_schema(request=EvaluationPointsSerializer, responses=EvaluationReviewSerializer)
    def post(self, request):
        return super().post(request)

    def perform(self, review, data):
        from ..evaluation import self_assess

        comment = _clean(data["comment"], "comment", multiline=True)
        return self_assess(review, actor=self.request.user, points=data["points"], comment=comment)


class EvaluationManagerReviewView(ReviewStepView):
    """A manager up the line reviews the month (points that replace the self-assessed ones, and a comment),
    once the official has assessed themself. Never the official."""

    serializer_class = EvaluationPointsSerializer

    @extend_schema(request=EvaluationPointsSerializer, responses=EvaluationReviewSerializer)
    def post(self, request):
        return super().post(request)

    def perform(self, review, data):
        from ..evaluation import manager_review

        comment = _clean(data["comment"], "comment", multiline=True)
        return manager_review(review, actor=self.request.user, points=data["points"], comment=comment)


class EvaluationCommentView(ReviewStepView):
    """The unit's collective comment, recorded by a manager or the personnel officer after the review."""

    serializer_class = EvaluationCommentSerializer

    @extend_schema(request=EvaluationCommentSerializer, responses=EvaluationReviewSerializer)
    def post(self, request):
        return super().post(request)

    def perform(self, review, data):
        from ..evaluation import record_collective_comment

        comment = _clean(data["comment"], "comment", multiline=True)
        return record_collective_comment(review, actor=self.request.user, comment=comment)


class EvaluationApproveView(ReviewStepView):
    """The head approves an official's month (the head's own month: their manager): only once the month is over
    and its self-assessment, manager's review and collective comment are done; then it is frozen. Someone whose
    scores the caller may not see: 404."""

    serializer_class = EvaluationApproveSerializer

    @extend_schema(request=EvaluationApproveSerializer, responses=EvaluationReviewSerializer)
    def post(self, request):
        return super().post(request)

    def perform(self, review, data):
        from ..evaluation import approve

        return approve(review, actor=self.request.user)


class EvaluationReopenView(ReviewStepView):
    """The audited way back into an approved (frozen) month: whoever approves it says why; the reason is in the
    trail and the change log."""

    serializer_class = EvaluationReopenSerializer

    @extend_schema(request=EvaluationReopenSerializer, responses=EvaluationReviewSerializer)
    def post(self, request):
        return super().post(request)

    def perform(self, review, data):
        from ..evaluation import reopen

        return reopen(review, actor=self.request.user, reason=_clean(data["reason"], "reason", multiline=True))


class EvaluationGradeView(APIView):
    """The head decides an official's year grade. A grade above what the score allows, or an excellent beyond
    the body's quota, needs a recorded decision (number, date); a disqualifier caps the grade whatever the
    decision. Someone whose scores the caller may not see: 404."""

    required_permission = "work.change_yeargrade"

    @extend_schema(request=EvaluationGradeSerializer, responses=YearGradeSerializer)
    def post(self, request):
        from ..evaluation import decide_grade
        from ..models import YearGrade

        data = _valid(EvaluationGradeSerializer, request)
        staff = _seen_staff(request, data["person"])
        grade = YearGrade.objects.filter(staff=staff, year=data["year"]).first()
        if grade is None:
            raise ValidationError({"year": [_("This year has no grade proposed yet.")]})
        grade = decide_grade(
            grade,
            actor=request.user,
            code=data["grade"].strip(),
            decision=_clean(data["decision"], "decision"),
            disqualifier=_clean(data["disqualifier"], "disqualifier"),
        )
        return Response(YearGradeSerializer(grade).data)
