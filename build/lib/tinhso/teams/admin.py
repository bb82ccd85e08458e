"""Admin pages for support staff: scoped like every page, writes through the services."""

from django.contrib import admin

from tinhso.core.admin import ScopedAdmin

from . import services
from .models import Activity, ActivityType, Member, Team


@admin.register(Team)
class TeamAdmin(ScopedAdmin):
    list_display = ["name", "level", "decision_number", "founded_on", "ended_on"]
    list_filter = ["level"]
    search_fields = ["search_name", "decision_number"]
    fields = ["name", "unit", "level", "decision_number", "founded_on", "decision_signer", "ended_on", "note"]
    readonly_fields = ["unit", "level"]

    def has_add_permission(self, request):
        return False  # teams are founded from their page, with the unit's code

    def save_model(self, request, obj, form, change):
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        services.update_team(Team.objects.get(pk=obj.pk), actor=request.user, changes=changes)


class ReadOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["person", "team", "role", "joined_on", "left_on"]
    list_filter = ["role"]
    search_fields = ["person__search_name", "person__phone"]
    list_select_related = ["person", "team"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["date", "activity_type", "team", "people_reached", "households_reached"]
    list_filter = ["activity_type"]
    date_hierarchy = "date"
    list_select_related = ["activity_type", "team"]


@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "is_active"]

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        services.save_activity_type(
            ActivityType.objects.get(pk=obj.pk) if change else None, actor=request.user, data=data
        )

    def delete_model(self, request, obj):
        pass  # kinds of activity are taken out of use (is_active), never deleted: activities refer to them

    def has_delete_permission(self, request, obj=None):
        return False
