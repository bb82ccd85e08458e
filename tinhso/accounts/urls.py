from django.contrib.auth.decorators import login_required
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("register/", views.RegisterView.as_view(), name="register"),
    path("login/code/", views.LoginCodeView.as_view(), name="login_code"),
    path("two-factor/", views.TwoFactorView.as_view(), name="two_factor"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password-reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("phone/verify/", views.PhoneVerifyView.as_view(), name="phone_verify"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/add/", views.UserCreateView.as_view(), name="user_add"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/roles/add/", login_required(views.add_role), name="role_add"),
    path("users/<int:pk>/unlock/", login_required(views.lift_lockout), name="user_unlock"),
    path("users/<int:pk>/two-factor/reset/", login_required(views.reset_two_factor), name="user_two_factor_reset"),
    path("roles/<int:pk>/remove/", login_required(views.remove_role), name="role_remove"),
]
