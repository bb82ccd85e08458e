"""Admin for the DX centre: the catalogue, routing rules and public holidays, written through the services.
Reports are handled on the module's pages, where every step is logged and the reporter told."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from tinhso.core.admin import ScopedAdmin

from . import attributes, services
from .models import Holiday, RoutingRule, ServiceCategory


class ServiceCategoryForm(forms.ModelForm):
    def clean_attributes(self):
        try:
            return attributes.check_definition(self.cleaned_data.get("attributes") or [])
        except ValidationError as error:
            raise ValidationError(error.message_dict["attributes"]) from error


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(ScopedAdmin):
    form = ServiceCategoryForm
    list_display = ["code", "name", "level", "organisation", "deadline_days", "is_public", "is_active"]
    search_fields = ["code", "name"]

    def save_model(self, request, obj, form, change):
        services.save_category(actor=request.user, category=obj)


@admin.register(RoutingRule)
class RoutingRuleAdmin(ScopedAdmin):
    list_display = ["unit", "category", "organisation"]
    autocomplete_fields = ["unit", "organisation"]

    def save_model(self, request, obj, form, change):
        services.save_routing_rule(obj, actor=request.user)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["day", "name"]
    date_hierarchy = "day"

    def save_model(self, request, obj, form, change):
        services.save_holiday(obj, actor=request.user)

    def delete_model(self, request, obj):
        services.delete_holiday(obj, actor=request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete would bypass the services
        return actions
