"""Where the DX centre maintains definitions (data elements, data sets with their rules, indicators)
and plans with their targets. Every save and delete goes through the services, like every other write
(definitions are checked by the models' clean(): formulas, ranges)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tinhso.core.admin import ScopedAdmin

from . import services
from .models import DataElement, DataSet, DataSetElement, Indicator, Plan, Target, ValidationRule


class DefinitionAdmin(admin.ModelAdmin):
    """Definitions are the province's: the permission is checked by name, not on a unit."""

    search_fields = ["code", "name"]

    def _allowed(self, request, action: str) -> bool:
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, "view")

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, "change")

    def has_add_permission(self, request):
        return self._allowed(request, "add")

    def has_delete_permission(self, request, obj=None):
        return False  # definitions in use are switched off ("in use"), never deleted

    def save_model(self, request, obj, form, change):
        services.save_definition(obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        """A data set's members and rules (its inlines) are saved and removed through the services."""
        for part in formset.save(commit=False):
            services.save_data_set_part(part, actor=request.user)
        for part in formset.deleted_objects:
            services.remove_data_set_part(part, actor=request.user)


@admin.register(DataElement)
class DataElementAdmin(DefinitionAdmin):
    list_display = ["code", "name", "value_type", "aggregation", "unit_of_measure", "is_active"]
    list_filter = ["value_type", "aggregation", "is_active"]


class DataSetElementInline(admin.TabularInline):
    model = DataSetElement
    autocomplete_fields = ["data_element"]
    extra = 1


class ValidationRuleInline(admin.TabularInline):
    model = ValidationRule
    extra = 0


@admin.register(DataSet)
class DataSetAdmin(DefinitionAdmin):
    list_display = ["code", "name", "period_type", "unit_level", "due_days", "is_active"]
    list_filter = ["period_type", "unit_level", "is_active"]
    inlines = [DataSetElementInline, ValidationRuleInline]


@admin.register(Indicator)
class IndicatorAdmin(DefinitionAdmin):
    list_display = ["code", "name", "pillar", "kind", "display_format", "is_active"]
    list_filter = ["pillar", "kind", "is_active"]
    fieldsets = [
        (None, {"fields": ["code", "name", "short_name", "description", "pillar", "group", "order", "is_active"]}),
        (
            _("Formula"),
            {
                "fields": [
                    "kind",
                    "numerator",
                    "denominator",
                    "factor",
                    "count_level",
                    "condition_operator",
                    "condition_value",
                ]
            },
        ),
        (_("Display"), {"fields": ["unit_of_measure", "direction", "display_format", "decimals", "rounding"]}),
    ]


class TargetInline(admin.TabularInline):
    model = Target
    autocomplete_fields = ["indicator"]
    raw_id_fields = ["unit"]
    extra = 1


@admin.register(Plan)
class PlanAdmin(ScopedAdmin):
    list_display = ["number", "title", "unit", "issued_on"]
    search_fields = ["number", "title"]
    raw_id_fields = ["unit", "issuer"]
    inlines = [TargetInline]

    def save_model(self, request, obj, form, change):
        services.save_plan(obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        for target in formset.save(commit=False):
            services.save_target(target, actor=request.user)
        for target in formset.deleted_objects:
            services.delete_target(target, actor=request.user)

    def delete_model(self, request, obj):
        services.delete_plan(obj, actor=request.user)
