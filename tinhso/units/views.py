from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2 import RequestConfig

from tinhso.core.views import ObjectDetailView, ObjectListView, ServiceFormView

from . import services
from .filtersets import OrganisationFilterSet, UnitFilterSet
from .forms import OrganisationForm, UnitForm, VillageForm, VillageImportForm
from .models import Organisation, Unit
from .tables import ChildUnitTable, OrganisationTable, UnitTable


def breadcrumb(user, unit: Unit) -> list[tuple[Unit, bool]]:
    """Ancestors and the unit, each with whether the user may open it."""
    chain = [*unit.ancestors(), unit]
    visible = set(Unit.objects.filter(pk__in=[each.pk for each in chain]).restrict(user).values_list("pk", flat=True))
    return [(each, each.pk in visible) for each in chain]


class UnitListView(ObjectListView):
    model = Unit
    queryset = Unit.objects.select_related("parent")
    filterset_class = UnitFilterSet
    table_class = UnitTable
    title = gettext_lazy("Administrative units")
    template_name = "units/unit_list.html"

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "default_day": self.request.as_of}

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        filterset.form.fields.pop("as_of")  # the structure date bar above every page sets it
        return filterset

    @property
    def export_name(self):
        return "don-vi-hanh-chinh"


class UnitDetailView(ObjectDetailView):
    model = Unit
    template_name = "units/unit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit, user = self.object, self.request.user
        day = self.request.as_of if unit.is_valid_on(self.request.as_of) else unit.last_valid_day
        children = Unit.objects.restrict(user).filter(parent=unit).valid_on(day)
        table = ChildUnitTable(children, order_by="code")
        RequestConfig(self.request, paginate={"per_page": 50}).configure(table)
        context.update(
            breadcrumb=breadcrumb(user, unit),
            children_table=table,
            children_day=day,
            is_valid_now=unit.is_valid_on(self.request.as_of),
            predecessors=unit.predecessors.all(),
            successors=unit.successors.all(),
            organisations=unit.organisations.restrict(user).order_by("kind", "name")[:50],
            can_change=user.has_perm("units.change_unit", unit)
            and (not unit.is_official or user.has_perm("units.change_official_unit", unit)),
            can_add_village=unit.level == "commune" and user.has_perm("units.add_unit", unit),
            can_add_organisation=user.has_perm("units.add_organisation", unit),
        )
        return context


class UnitScopedFormMixin:
    """Forms about one unit: the unit must be visible to the user, or it is a 404."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.unit = get_object_or_404(Unit.objects.restrict(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            unit=self.unit,
            breadcrumb=breadcrumb(self.request.user, self.unit),
            cancel_url=self.unit.get_absolute_url(),
        )
        return context


class UnitEditView(UnitScopedFormMixin, ServiceFormView):
    form_class = UnitForm
    title = gettext_lazy("Edit administrative unit")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.unit}

    def perform(self, form):
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        unit = services.update_unit(Unit.objects.get(pk=self.unit.pk), actor=self.request.user, changes=changes)
        messages.success(self.request, _("Saved."))
        return unit


class VillageCreateView(UnitScopedFormMixin, ServiceFormView):
    form_class = VillageForm
    title = gettext_lazy("Add a village")

    def get_initial(self):
        return {"valid_from": self.request.as_of, "unit_type": "thon"}

    def perform(self, form):
        data = dict(form.cleaned_data)
        code = data.pop("code") or services.next_village_code(self.unit)
        village = services.create_unit(actor=self.request.user, parent=self.unit, code=code, **data)
        messages.success(self.request, _("%(name)s was added.") % {"name": village.name})
        return village


class VillageImportView(ServiceFormView):
    form_class = VillageImportForm
    title = gettext_lazy("Import villages from Excel or CSV")
    template_name = "units/village_import.html"

    def perform(self, form):
        return services.start_village_import(form.cleaned_data["file"], actor=self.request.user)

    def get_success_url(self, result=None):
        from django.urls import reverse

        return reverse("core:job_detail", args=[result.pk])

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("units.add_unit"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("You may not add villages."))
        return super().dispatch(request, *args, **kwargs)


class OrganisationListView(ObjectListView):
    model = Organisation
    queryset = Organisation.objects.select_related("unit")
    filterset_class = OrganisationFilterSet
    table_class = OrganisationTable
    title = gettext_lazy("Organisations")

    @property
    def export_name(self):
        return "to-chuc"


class OrganisationDetailView(ObjectDetailView):
    model = Organisation
    queryset = Organisation.objects.select_related("unit", "parent")
    template_name = "units/organisation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumb"] = breadcrumb(self.request.user, self.object.unit)
        context["can_change"] = self.request.user.has_perm("units.change_organisation", self.object)
        return context


class OrganisationCreateView(UnitScopedFormMixin, ServiceFormView):
    form_class = OrganisationForm
    title = gettext_lazy("Add an organisation")

    def perform(self, form):
        return services.create_organisation(actor=self.request.user, data={**form.cleaned_data, "unit": self.unit})


class OrganisationEditView(ServiceFormView):
    form_class = OrganisationForm
    title = gettext_lazy("Edit organisation")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.organisation = get_object_or_404(Organisation.objects.restrict(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Organisation.objects.get(pk=self.organisation.pk)}

    def perform(self, form):
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        return services.update_organisation(self.organisation, actor=self.request.user, data=changes)


def jump(request):
    """Up to eight units matching what the person types, for the switcher in the page header."""
    text = request.GET.get("q", "").strip()
    units = []
    if len(text) >= 2 and request.user.is_authenticated:
        units = Unit.objects.restrict(request.user).valid_on(request.as_of).search(text).select_related("parent")[:8]
    return render(request, "units/partials/_jump.html", {"units": units, "text": text})
