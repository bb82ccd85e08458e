from django.db.models import Prefetch

from tinhso.core.api.viewsets import ScopedReadOnlyViewSet

from ..filtersets import CriteriaSetFilterSet, EvaluationFilterSet
from ..models import CriteriaSet, Evaluation, Score
from ..privacy import shared_only
from .serializers import CriteriaSetSerializer, EvaluationSerializer


class CriteriaSetViewSet(ScopedReadOnlyViewSet):
    """Criteria sets with their criteria (rules, maximum points, sources)."""

    queryset = CriteriaSet.objects.select_related("unit").prefetch_related("criteria")
    serializer_class = CriteriaSetSerializer
    filterset_class = CriteriaSetFilterSet


class EvaluationViewSet(ScopedReadOnlyViewSet):
    """Scores per subject and period, each criterion with the explanation of its points."""

    queryset = Evaluation.objects.select_related("unit").prefetch_related(
        Prefetch("scores", queryset=Score.objects.select_related("criterion"))
    )
    serializer_class = EvaluationSerializer
    filterset_class = EvaluationFilterSet
    ordering_fields = ["total", "percent"]

    def get_queryset(self):
        return shared_only(super().get_queryset())
