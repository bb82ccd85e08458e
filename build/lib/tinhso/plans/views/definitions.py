from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from tinhso.core.views import ObjectListView

from ..filtersets import DataElementFilterSet, DataSetFilterSet, IndicatorFilterSet
from ..models import DataElement, DataSet, Indicator
from ..tables import DataElementTable, DataSetTable, IndicatorTable


class IndicatorListView(ObjectListView):
    model = Indicator
    filterset_class = IndicatorFilterSet
    table_class = IndicatorTable
    title = gettext_lazy("Indicators")

    export_name = "chi-tieu"


class DataSetListView(ObjectListView):
    model = DataSet
    filterset_class = DataSetFilterSet
    table_class = DataSetTable
    title = gettext_lazy("Data sets")

    export_name = "bo-bieu-mau"


class DataElementListView(ObjectListView):
    model = DataElement
    filterset_class = DataElementFilterSet
    table_class = DataElementTable
    title = gettext_lazy("Data elements")

    export_name = "chi-so-du-lieu"


class DataSetDetailView(LoginRequiredMixin, TemplateView):
    template_name = "plans/dataset_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data_set = get_object_or_404(DataSet.objects.restrict(self.request.user), code=kwargs["code"])
        context.update(
            data_set=data_set,
            members=data_set.members.select_related("data_element"),
            rules=data_set.rules.all(),
            title=data_set.name,
        )
        return context
