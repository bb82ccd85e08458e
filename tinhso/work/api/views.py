from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, status, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from tinhso.core.api.viewsets import ScopedViewSetMixin

from .. import services
from ..evaluation import explain_month, explain_quarter, explain_year, month_code, quarter_code, visible_staff_ids
from ..filtersets import WorkItemFilterSet
from ..models import Product, StaffMember, WorkItem
from .serializers import (
    EvaluationResultSerializer,
    WorkAcceptSerializer,
    WorkItemCreateSerializer,
    WorkItemSerializer,
    WorkProgressSerializer,
    WorkReturnSerializer,
    WorkSubmitSerializer,
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
        if not person.isdigit():
            raise ValidationError({"person": [_("Give the id of a person.")]})
        staff = StaffMember.objects.select_related("user", "organisation__unit").filter(user_id=int(person)).first()
        if staff is None or staff.pk not in visible_staff_ids(request.user):
            raise Http404
        if period.isdigit() and len(period) == 4:
            result = explain_year(staff, int(period))
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
