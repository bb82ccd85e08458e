from django.contrib.auth.decorators import login_required
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/add/", views.UserCreateView.as_view(), name="user_add"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/roles/add/", login_required(views.add_role), name="role_add"),
    path("users/<int:pk>/unlock/", login_required(views.lift_lockout), name="user_unlock"),
    path("roles/<int:pk>/remove/", login_required(views.remove_role), name="role_remove"),
]
