from django.contrib import admin

from tinhso.core.scoping import permission_name

from .models import Job, ObjectChange


class ScopedAdmin(admin.ModelAdmin):
    """Admin pages obey the same scoping as pages and API: querysets and object permissions
    come from roles on administrative units. Saves go through the module's services."""

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user, "view")

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk deletes would bypass the services
        return actions

    def _allowed(self, request, action, obj):
        return request.user.has_perm(permission_name(self.model, action), obj)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, "view", obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, "delete", obj)

    def has_add_permission(self, request):
        return self._allowed(request, "add", None)


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin):
    list_display = ["time", "user_name", "action", "object_type", "object_repr", "request_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "user_name", "request_id"]
    date_hierarchy = "time"

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user, "view")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "created_by", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [field.name for field in Job._meta.fields]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(created_by=request.user)

    def has_add_permission(self, request):
        return False
