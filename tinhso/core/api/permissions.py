from rest_framework.permissions import BasePermission

from tinhso.core.scoping import permission_name

ACTION_OF_METHOD = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class ScopedModelPermissions(BasePermission):
    """Role permissions, checked on the unit of each object (the same rule as pages and admin).

    A view may name the permission it needs with `required_permission` (None: any user); otherwise it is
    derived from the queryset's model and the HTTP method.
    """

    def _permission(self, request, view) -> str | None:
        if hasattr(view, "required_permission"):
            return view.required_permission
        queryset = getattr(view, "queryset", None)
        if queryset is None:
            return None
        return permission_name(queryset.model, ACTION_OF_METHOD.get(request.method, "view"))

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        permission = self._permission(request, view)
        return permission is None or request.user.has_perm(permission)

    def has_object_permission(self, request, view, obj):
        permission = self._permission(request, view)
        return permission is None or request.user.has_perm(permission, obj)
