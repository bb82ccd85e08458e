from django.urls import path

from .views import RoleAssignmentViewSet, TokenView, UserViewSet


def register(router):
    router.register("users", UserViewSet, basename="user")
    router.register("role-assignments", RoleAssignmentViewSet, basename="roleassignment")
    return [path("auth/token/", TokenView.as_view(), name="auth-token")]
