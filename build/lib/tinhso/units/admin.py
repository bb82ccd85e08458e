from django.contrib import admin

from tinhso.core.admin import ScopedAdmin

from . import services
from .models import Organisation, Unit


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ["code", "name", "level", "unit_type", "valid_from", "valid_to", "is_official"]
    list_filter = ["level", "unit_type", "is_official"]
    search_fields = ["code", "name", "search_name"]
    fields = [
        "code",
        "name",
        "short_name",
        "level",
        "unit_type",
        "parent",
        "valid_from",
        "valid_to",
        "is_official",
        "households",
        "population",
        "area_km2",
        "latitude",
        "longitude",
    ]
    readonly_fields = ["code", "level", "parent", "valid_from", "is_official"]

    def save_model(self, request, obj, form, change):
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        services.update_unit(Unit.objects.get(pk=obj.pk), actor=request.user, changes=changes)

    def has_add_permission(self, request):
        return False  # villages are added from the unit's page or by import; official units by import

    def delete_model(self, request, obj):
        services.delete_unit(obj, actor=request.user)


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    list_display = ["name", "kind", "unit", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "search_name", "code"]
    raw_id_fields = ["unit", "parent"]

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            services.update_organisation(Organisation.objects.get(pk=obj.pk), actor=request.user, data=data)
        else:
            services.create_organisation(actor=request.user, data=form.cleaned_data)

    def delete_model(self, request, obj):
        services.delete_organisation(obj, actor=request.user)
