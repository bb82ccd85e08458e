import json

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from tinhso.core.api.parsers import JSONParser
from tinhso.core.api.permissions import ScopedModelPermissions
from tinhso.core.api.serializers import JobSerializer
from tinhso.core.api.views import job_accepted
from tinhso.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from tinhso.core.imports import UnreadableFile
from tinhso.units.snapshot import snapshot_on

from .. import exchange, periods, services, violations
from ..figures import Ask, Calculator
from ..filtersets import (
    DataElementFilterSet,
    DataSetFilterSet,
    IndicatorFilterSet,
    ReportFilterSet,
    TaskFilterSet,
    ViolationFilterSet,
)
from ..models import DataElement, DataSet, Indicator, Plan, Report, Task
from . import serializers
from .parsers import CSVTextParser


class DefinitionPermission(BasePermission):
    """Definitions are the whole province's: whoever may read them somewhere reads every one."""

    def has_permission(self, request, view):
        model = view.queryset.model._meta
        return request.user.is_authenticated and request.user.has_perm(f"plans.view_{model.model_name}")

    def has_object_permission(self, request, view, obj):
        return True


class DataElementViewSet(ScopedReadOnlyViewSet):
    permission_classes = [DefinitionPermission]
    """Data elements (what units report), by code; `?search=` matches codes and names."""

    queryset = DataElement.objects.prefetch_related("data_sets")
    serializer_class = serializers.DataElementSerializer
    filterset_class = DataElementFilterSet
    lookup_field = "code"
    ordering = ["code"]


class DataSetViewSet(ScopedReadOnlyViewSet):
    permission_classes = [DefinitionPermission]
    """Data sets (the forms a level of units reports each period), by code."""

    queryset = DataSet.objects.prefetch_related("members__data_element")
    serializer_class = serializers.DataSetSerializer
    filterset_class = DataSetFilterSet
    lookup_field = "code"
    ordering = ["code"]


class IndicatorViewSet(ScopedReadOnlyViewSet):
    permission_classes = [DefinitionPermission]
    """Indicators (chỉ tiêu): formulas over data elements, with their display rule."""

    queryset = Indicator.objects.all()
    serializer_class = serializers.IndicatorSerializer
    filterset_class = IndicatorFilterSet
    lookup_field = "code"
    ordering = ["pillar", "order", "code"]

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", str, required=True, description="Code of the unit."),
            OpenApiParameter("period", str, required=True, description="DHIS2 period: 2024, 2024Q1, 202401."),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="Day whose unit tree rolls the figures up."),
        ],
        responses=serializers.IndicatorValueSerializer,
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def values(self, request, code=None):
        """The indicator for a unit and period from approved data: numerator, denominator, value, display."""
        indicator = self.get_object()
        period = _period(request.query_params.get("period", ""))
        day = _day(request.query_params.get("as_of")) or timezone.localdate()
        unit = _unit(request, request.query_params.get("unit", ""), day, period)
        if not unit.is_valid_on(day):
            day = period.end
        structure = snapshot_on(day)
        [figure] = Calculator(structure).compute([Ask(unit.pk, indicator, period)])
        data = {
            "indicator": indicator.code,
            "unit": {"code": unit.code, "name": unit.name},
            "period": period.code,
            "data_period": figure.period.code if figure.has_data else None,
            "structure_date": day,
            "numerator": figure.numerator,
            "denominator": figure.denominator,
            "value": figure.value,
            "display": figure.display,
            "has_data": figure.has_data,
        }
        return Response(serializers.IndicatorValueSerializer(data).data)


def _period(code: str) -> periods.Period:
    try:
        return periods.parse(code)
    except ValidationError as error:
        raise ValidationError({"period": error.messages}) from error


def _day(text):
    """The structure day asked for (none: today); a date that cannot be read is a 400, not silently today."""
    from tinhso.core.middleware import parse_date

    day = parse_date(text)
    if text and day is None:
        raise ValidationError({"as_of": [_("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": text}]})
    return day


def _unit(request, code: str, day, period):
    from tinhso.units.models import Unit

    in_scope = Unit.objects.filter(code=code.strip()).restrict(request.user, "plans.view_indicator")
    visible = [unit for unit in in_scope if unit.is_valid_on(day) or unit.is_valid_on(period.end)]
    visible.sort(key=lambda unit: not unit.is_valid_on(day))
    if not visible:
        raise NotFound(f"Không tìm thấy đơn vị có mã {code} trong phạm vi của bạn.")
    return visible[0]


class PlanPermission(ScopedModelPermissions):
    """A plan is read where the list shows it: its own unit's people and those of the units below
    (Plan.objects.restrict); the object check on the plan's own unit alone answered 403 below."""

    def has_object_permission(self, request, view, obj):
        return Plan.objects.readable_by(request.user, obj)


class PlanViewSet(ScopedReadOnlyViewSet):
    permission_classes = [PlanPermission]
    queryset = Plan.objects.select_related("unit")
    serializer_class = serializers.PlanSerializer


class TaskViewSet(ScopedModelViewSet):
    """Tasks of plans. Creating one publishes it (unless `publish` is false): a task that is not
    "5 rõ" is refused with a 400 naming, in Vietnamese, each missing clarity; nothing is created."""

    queryset = Task.objects.select_related("unit").prefetch_related("indicators")
    serializer_class = serializers.TaskSerializer
    filterset_class = TaskFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering = ["due_date", "pk"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        indicators, publish = data.pop("indicators", []), data.pop("publish", True)
        serializer.instance = services.create_task(
            actor=self.request.user, data=data, indicators=indicators, publish=publish
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        indicators = data.pop("indicators", None)
        publish = data.pop("publish", False)
        task = services.update_task(serializer.instance, actor=self.request.user, changes=data, indicators=indicators)
        if publish and task.status == "draft":
            task = services.publish_task(task, actor=self.request.user)
        serializer.instance = task

    @extend_schema(request=serializers.TaskProgressSerializer, responses=serializers.TaskSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        """Report progress (0–100) with a note; 100 or status "completed" completes the task."""
        task = self.get_object()
        data = serializers.TaskProgressSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.post_task_update(task, actor=request.user, **data.validated_data)
        task.refresh_from_db()
        return Response(serializers.TaskSerializer(task).data)

    def get_permissions(self):
        if self.action == "progress":
            self.required_permission = "plans.add_taskupdate"
        return super().get_permissions()


class ReportViewSet(ScopedReadOnlyViewSet):
    """Reports of units per period, with their values; submit, approve or return them."""

    queryset = Report.objects.select_related("data_set", "unit__parent").prefetch_related("values__data_element")
    serializer_class = serializers.ReportSerializer
    filterset_class = ReportFilterSet

    @extend_schema(request=None, responses=serializers.ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._decide(services.submit_report)

    @extend_schema(request=None, responses=serializers.ReportSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a submitted report of a unit below; its values count on dashboards at once."""
        return self._decide(services.approve_report)

    @extend_schema(request=serializers.ReturnSerializer, responses=serializers.ReportSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_report(self, request, pk=None):
        data = serializers.ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._decide(services.return_report, reason=data.validated_data["reason"])

    def _decide(self, service, **extra):
        report = service(self.get_object(), actor=self.request.user, **extra)
        return Response(serializers.ReportSerializer(Report.objects.get(pk=report.pk)).data)

    @extend_schema(responses=serializers.ViolationSerializer(many=True))
    @action(detail=False, filterset_class=ViolationFilterSet, filter_backends=[DjangoFilterBackend])
    def violations(self, request):
        """The validation-rule violations of the reports you approve (the page /plans/reports/violations/):
        every rule each report's values break, newest period first, blocking before warnings."""
        reports = Report.objects.restrict(request.user, "plans.approve_report", path="unit__parent__path")
        reports = self.filter_queryset(reports.filter(data_set__rules__isnull=False).distinct())
        importance = request.query_params.get("importance", "")  # valid: the filter set refused any other
        page = self.paginate_queryset(violations.violations(reports, importance))
        return self.get_paginated_response(serializers.ViolationSerializer(page, many=True).data)

    def get_permissions(self):
        if self.action in ("submit", "approve", "return_report"):
            self.required_permission = None  # checked by the service on the right unit
        elif self.action == "violations":
            self.required_permission = "plans.approve_report"  # somewhere; the rows are those of its scope
        return super().get_permissions()


class CSVRenderer(JSONRenderer):
    media_type = "text/csv"
    format = "csv"


class DataValueSetView(APIView):
    """DHIS2 dataValueSets with codes as identifiers: export (GET) and import (POST JSON or CSV)."""

    parser_classes = [JSONParser, CSVTextParser]
    renderer_classes = [JSONRenderer, CSVRenderer]

    def get_permissions(self):
        self.required_permission = "plans.view_datavalue" if self.request.method == "GET" else "plans.add_datavalue"
        return super().get_permissions()

    @extend_schema(
        parameters=[
            OpenApiParameter("dataSet", str, required=True),
            OpenApiParameter("period", str, required=True, description="One or more, comma-separated."),
            OpenApiParameter("orgUnit", str, required=True),
            OpenApiParameter("children", bool, description="Include every unit below orgUnit."),
        ],
        responses={200: serializers.DataValueSetSerializer},
    )
    def get(self, request):
        query = exchange.export_query(request.user, request.query_params)
        values = exchange.export_values(request.user, query)
        if request.accepted_renderer.format == "csv":
            return HttpResponse(exchange.as_csv(values), content_type="text/csv; charset=utf-8")
        body = {"dataSet": query.data_set.code, "orgUnit": query.units[0].code, "dataValues": exchange.as_dicts(values)}
        if len(query.periods) == 1:
            body["period"] = query.periods[0].code
        return Response(body)

    @extend_schema(
        request={"application/json": serializers.DataValueSetSerializer, "text/csv": OpenApiTypes.STR},
        parameters=[
            OpenApiParameter("dryRun", bool, description="Check and count; write nothing."),
            OpenApiParameter("importStrategy", str, enum=list(exchange.STRATEGIES)),
            OpenApiParameter("atomic", bool, description="Default true: any conflict and nothing is written."),
        ],
        responses={202: JobSerializer},
        description=(
            "Import (or with dryRun, check) data values as a background job: 202 with the job's address"
            " (`Location`, `url`). The job's result holds the DHIS2 ImportSummary (`summary`); a conflict in an"
            " atomic import fails the job, listing every conflicting row, and nothing is written."
            " A body that cannot be read is refused at once (400)."
        ),
    )
    def post(self, request):
        if isinstance(request.data, str) and "json" not in (request.content_type or ""):
            exchange.read_csv(request.data)  # unreadable → 400 now, not a failed job later
            file = ContentFile(request.data.encode(), name="dataValueSet.csv")
        else:
            if not isinstance(request.data, dict):  # a JSON string or list is no dataValueSet (nor CSV)
                raise UnreadableFile(_("Send a JSON object with a “dataValues” list."))
            exchange.read_json(request.data)
            file = ContentFile(json.dumps(request.data).encode(), name="dataValueSet.json")
        params = request.query_params
        job = services.start_data_value_import(
            file,
            actor=request.user,
            strategy=params.get("importStrategy"),
            dry_run=_flag(params.get("dryRun"), False),
            atomic=_flag(params.get("atomic"), True),
        )
        return job_accepted(request, job)


def _flag(raw, default: bool) -> bool:
    if raw is None or raw == "":
        return default
    return str(raw).strip().lower() in ("1", "true", "yes")
