"""Admin pages for support staff: the staff lists and the rules, scoped like every page; writes through services."""

from django.contrib import admin

from tinhso.core.admin import ScopedAdmin

from . import services
from .models import KpiRules, Product, StaffMember, WorkItem


@admin.register(StaffMember)
class StaffMemberAdmin(ScopedAdmin):
    list_display = ["user", "organisation", "title", "manager", "is_head", "is_personnel_officer", "is_active"]
    list_filter = ["is_head", "is_personnel_officer", "is_active"]
    search_fields = ["user__username", "user__full_name", "title"]
    list_select_related = ["user", "organisation", "manager__user"]
    raw_id_fields = ["user", "organisation", "manager", "job_position"]

    def save_model(self, request, obj, form, change):
        services.save_staff_member(obj, actor=request.user)


class ReadOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkItem)
class WorkItemAdmin(ReadOnlyAdmin):
    list_display = ["title", "assignee", "due_date", "status", "quality"]
    list_filter = ["status", "priority"]
    search_fields = ["title"]
    list_select_related = ["assignee"]


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "measure", "organisation"]
    search_fields = ["code", "name"]


@admin.register(KpiRules)
class KpiRulesAdmin(ReadOnlyAdmin):
    list_display = ["name", "effective_from", "criteria_set", "excellent_quota_percent"]
