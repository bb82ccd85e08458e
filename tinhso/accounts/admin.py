from django.contrib import admin

from tinhso.core.admin import ScopedAdmin

from . import services
from .models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ["unit"]
    fields = ["role", "unit", "include_descendants"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(ScopedAdmin):
    list_display = ["username", "full_name", "phone", "phone_verified_at", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "phone", "email"]
    fields = [
        "username",
        "full_name",
        "phone",
        "phone_verified_at",
        "email",
        "organisation",
        "is_active",
        "last_login",
        "date_joined",
    ]
    readonly_fields = ["username", "phone_verified_at", "last_login", "date_joined"]  # verified only by a code
    raw_id_fields = ["organisation"]
    inlines = [RoleAssignmentInline]

    def has_add_permission(self, request):
        return False  # accounts are created with a role, from the Users page or the API

    def save_model(self, request, obj, form, change):
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        services.update_user(User.objects.get(pk=obj.pk), actor=request.user, changes=changes)
