"""Admin pages for support staff: bodies with their quorum rules and templates, and their members, scoped like
every page; writes go through the services. Documents are listed read-only and without their file field, so
the admin can never serve or take a file (a confidential document has none, ever)."""

from django.contrib import admin

from tinhso.core.admin import ScopedAdmin

from . import services
from .models import Body, BodyMember, Document


class MemberInline(admin.TabularInline):
    model = BodyMember
    extra = 0
    fields = ["user", "role", "member_number", "valid_from", "valid_to"]
    raw_id_fields = ["user"]
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Body)
class BodyAdmin(ScopedAdmin):
    list_display = ["name", "kind", "unit", "quorum_numerator", "quorum_denominator", "quorum_comparison", "is_active"]
    list_filter = ["kind", "quorum_comparison", "is_active"]
    search_fields = ["name"]
    raw_id_fields = ["unit"]
    inlines = [MemberInline]

    def save_model(self, request, obj, form, change):
        services.save_body(obj, actor=request.user)


@admin.register(BodyMember)
class BodyMemberAdmin(ScopedAdmin):
    list_display = ["user", "body", "role", "member_number", "valid_from", "valid_to"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "body__name", "member_number"]
    list_select_related = ["user", "body"]
    raw_id_fields = ["user", "body"]

    def save_model(self, request, obj, form, change):
        services.save_member(obj, actor=request.user)


@admin.register(Document)
class DocumentAdmin(ScopedAdmin):
    list_display = ["title", "number", "meeting", "access", "confidential"]
    list_filter = ["confidential", "access"]
    fields = ["meeting", "agenda_item", "title", "number", "access", "confidential"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
