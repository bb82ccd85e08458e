from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from tinhso.core.views import ObjectDetailView, ObjectListView, ServiceFormView

from . import services
from .filtersets import UserFilterSet
from .forms import LoginForm, ProfilePasswordForm, RoleAssignmentForm, UserCreateForm
from .models import RoleAssignment, User
from .tables import UserTable


class LoginView(FormView):
    template_name = "accounts/login.html"

    def get_form(self, form_class=None):
        return LoginForm(self.request, **self.get_form_kwargs())

    def form_valid(self, form):
        login(self.request, form.user)
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()}):
            target = ""
        return redirect(target or "core:home")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": self.request.GET.get("next", "")}


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, _("You have logged out."))
    return redirect("accounts:login")


class ProfileView(LoginRequiredMixin, View):
    template_name = "accounts/profile.html"

    def get(self, request):
        return self._render(ProfilePasswordForm(request.user))

    def post(self, request):
        if "token" in request.POST:
            services.revoke_token(request.user)
            request.session["new_token"] = services.issue_token(request.user)
            return redirect("accounts:profile")
        form = ProfilePasswordForm(request.user, request.POST)
        if form.is_valid():
            try:
                services.set_password(request.user, actor=request.user, password=form.cleaned_data["new_password1"])
            except ValidationError as error:
                form.add_error("new_password1", error)
                return self._render(form)
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password was changed."))
            return redirect("accounts:profile")
        return self._render(form)

    def _render(self, form):
        assignments = self.request.user.role_assignments.select_related("unit")
        token = self.request.session.pop("new_token", None)
        return render(
            self.request,
            self.template_name,
            {"form": form, "assignments": assignments, "token": token, "title": _("Your account")},
        )


class UserListView(ObjectListView):
    model = User
    queryset = User.objects.prefetch_related("role_assignments__unit")
    filterset_class = UserFilterSet
    table_class = UserTable
    title = gettext_lazy("Users")
    add_url_name = "accounts:user_add"
    add_permission = "accounts.add_user"
    export_formats = ("csv", "xlsx")

    @property
    def export_name(self):
        return "nguoi-dung"


class UserDetailView(ObjectDetailView):
    model = User
    template_name = "accounts/user_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assignments"] = self.object.role_assignments.select_related("unit")
        context["role_form"] = RoleAssignmentForm(user=self.request.user, day=self.request.as_of)
        context["can_assign"] = self.request.user.has_perm("accounts.add_roleassignment")
        context["login_locked"] = services.login_is_locked(self.object)
        context["can_unlock"] = self.request.user.has_perm("accounts.change_user", self.object)
        return context


class UserCreateView(ServiceFormView):
    form_class = UserCreateForm
    title = gettext_lazy("Add a user")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "day": self.request.as_of}

    def perform(self, form):
        data = dict(form.cleaned_data)
        data.pop("unit_code")
        user = services.create_user(actor=self.request.user, **data)
        messages.success(self.request, _("The account %(name)s was created.") % {"name": user.username})
        return user

    def get_success_url(self, result=None):
        return reverse("accounts:user_detail", args=[result.pk])


@require_POST
def add_role(request, pk):
    user = get_object_or_404(User.objects.restrict(request.user), pk=pk)
    form = RoleAssignmentForm(request.POST, user=request.user, day=request.as_of)
    if form.is_valid():
        try:
            services.assign_role(
                user,
                actor=request.user,
                role=form.cleaned_data["role"],
                unit=form.cleaned_data["unit"],
                include_descendants=form.cleaned_data["include_descendants"],
            )
            messages.success(request, _("The role was given."))
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("accounts:user_detail", pk=user.pk)


@require_POST
def remove_role(request, pk):
    assignment = get_object_or_404(RoleAssignment.objects.restrict(request.user), pk=pk)
    try:
        services.remove_role(assignment, actor=request.user)
        messages.success(request, _("The role was removed."))
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accounts:user_detail", pk=assignment.user_id)


@require_POST
def lift_lockout(request, pk):
    user = get_object_or_404(User.objects.restrict(request.user), pk=pk)
    try:
        services.lift_login_lockout(user, actor=request.user)
        messages.success(request, _("The login lock was lifted: this person can log in again now."))
    except PermissionDenied as error:
        messages.error(request, str(error))
    return redirect("accounts:user_detail", pk=user.pk)
