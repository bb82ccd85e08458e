import time
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from tinhso.core.views import ObjectDetailView, ObjectListView, ServiceFormView

from . import phone_verification, services, throttle, two_factor
from .filtersets import UserFilterSet
from .forms import (
    CodeForm,
    EnrolForm,
    LoginForm,
    PhoneCodeForm,
    ProfilePasswordForm,
    RegisterForm,
    RoleAssignmentForm,
    UserCreateForm,
)
from .models import RoleAssignment, User
from .tables import UserTable


def _safe_next(request, target: str) -> str:
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else ""


class LoginView(FormView):
    """Password first; a person with an authenticator app then types a code (LoginCodeView)."""

    template_name = "accounts/login.html"

    def get_form(self, form_class=None):
        return LoginForm(self.request, **self.get_form_kwargs())

    def form_valid(self, form):
        target = _safe_next(self.request, self.request.POST.get("next") or self.request.GET.get("next") or "")
        user = form.user
        if two_factor.has_device(user):
            self.request.session[two_factor.PENDING_KEY] = {
                "user": user.pk,
                "backend": user.backend,
                "login": form.cleaned_data["username"],
                "next": target,
                "at": time.time(),
            }
            return redirect("accounts:login_code")
        login(self.request, user)
        return redirect(_after_login(user, target))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": self.request.GET.get("next", "")}


def _local_path(target: str) -> str:
    """`target` when it is a path of this site ("/learning/"), else "" (another site, "//host", "/\\host")."""
    if not target.startswith("/") or target.startswith(("//", "/\\")) or any(ch.isspace() for ch in target):
        return ""
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts=set()) else ""


class RegisterView(View):
    """A citizen registers by themselves (name, phone, commune, password), is logged in and goes on to `next`."""

    template_name = "accounts/register.html"

    def get(self, request):
        if request.user.is_authenticated:
            return redirect(_local_path(request.GET.get("next", "")) or "core:home")
        return self._render(RegisterForm())

    def post(self, request):
        if not throttle.allow_registration_from(throttle.client_address(request)):
            form = RegisterForm(request.POST)
            form.is_valid()  # its fields are shown again as typed; nothing is written
            form.add_error(None, _("Too many registrations from this connection. Please try again in an hour."))
            return self._render(form, status=429)
        form = RegisterForm(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        data = form.cleaned_data
        try:
            user = services.register_citizen(
                full_name=data["full_name"], phone=data["phone"], password=data["password"], unit=data["unit"]
            )
        except services.PhoneTaken as error:
            form.add_error("phone", error)
            return self._render(form, status=400, taken=True)
        except ValidationError as error:
            form.add_error(None if hasattr(error, "error_dict") else "password", error.messages)
            return self._render(form, status=400)
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        messages.success(request, _("Welcome, %(name)s: your account is ready.") % {"name": user.full_name})
        target = _local_path(request.POST.get("next", ""))
        if not phone_verification.is_available():
            return redirect(target or "core:home")
        if user.phone is None:
            claim = _(
                "This number was registered by an account that never verified it: "
                "type the code we send to it and the number is yours."
            )
            messages.info(request, claim)
        _send_code(request, user, phone=data["phone"])
        return redirect(_verify_url(target))

    def _render(self, form, status=200, taken=False):
        target = _local_path(self.request.POST.get("next") or self.request.GET.get("next") or "")
        context = {"form": form, "next": target, "taken": taken, "title": _("Register")}
        return render(self.request, self.template_name, context, status=status)


def _after_login(user, target: str) -> str:
    """Where a login goes on: the code page first when contests require a verified number and this one is not."""
    if phone_verification.is_required() and phone_verification.number_to_verify(user):
        return _verify_url(target)
    return target or reverse("core:home")


def _verify_url(target: str) -> str:
    return reverse("accounts:phone_verify") + (f"?next={quote(target)}" if target else "")


def _send_code(request, user, *, phone: str = "") -> int:
    """Send a code and say so on the next page; the status a refusal answers with (200 when sent)."""
    try:
        row = services.send_phone_code(user, address=throttle.client_address(request), phone=phone)
    except services.PhoneCodeRefused as error:
        messages.error(request, " ".join(error.messages))
        return 429
    except services.PhoneCodeNotSent as error:
        messages.error(request, " ".join(error.messages))
        return 503
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return 400
    sent = _("A code was sent by SMS to %(phone)s.") % {"phone": phone_verification.masked(row.phone)}
    messages.success(request, sent)
    return 200


class PhoneVerifyView(LoginRequiredMixin, View):
    """The person proves their phone number with the code sent by SMS (after registering, or from the profile)."""

    template_name = "accounts/phone_verify.html"

    def get(self, request):
        return self._render(PhoneCodeForm())

    def post(self, request):
        if "send" in request.POST:
            status = _send_code(request, request.user)
            return redirect(self._here()) if status == 200 else self._render(PhoneCodeForm(), status=status)
        form = PhoneCodeForm(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        try:
            services.verify_phone(request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error.messages)
            return self._render(form, status=429 if isinstance(error, services.PhoneCodeRefused) else 400)
        messages.success(request, _("Your phone number is verified."))
        return redirect(self._target() or "accounts:profile")

    def _target(self) -> str:
        return _local_path(self.request.POST.get("next") or self.request.GET.get("next") or "")

    def _here(self) -> str:
        return _verify_url(self._target())

    def _render(self, form, status=200):
        user = self.request.user
        number = phone_verification.number_to_verify(user)
        context = {
            "form": form,
            "next": self._target(),
            "number": phone_verification.masked(number) if number else "",
            "available": phone_verification.is_available(),
            "minutes": phone_verification.lifetime_minutes(),
            "code_sent": form.is_bound
            or (bool(number) and user.phone_codes.filter(phone=number, used_at__isnull=True).exists()),
            "title": _("Verify your phone number"),
        }
        return render(self.request, self.template_name, context, status=status)


class LoginCodeView(View):
    """The second step: a code from the authenticator app (or a backup code), counted by the login throttle.

    Serves both a login in progress (password accepted, kept in the session for PENDING_SECONDS) and a
    logged-in session that has not passed the second step yet (sent here by TwoFactorMiddleware)."""

    template_name = "accounts/login_code.html"

    def _pending(self, request):
        if request.user.is_authenticated:
            return request.user, request.user.username, _safe_next(request, request.GET.get("next", ""))
        pending = request.session.get(two_factor.PENDING_KEY)
        if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > two_factor.PENDING_SECONDS:
            return None, "", ""
        user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
        return user, pending.get("login", ""), pending.get("next", "")

    def get(self, request):
        user, _login, _next = self._pending(request)
        if user is None:
            return redirect("accounts:login")
        if not two_factor.has_device(user):
            return redirect("accounts:two_factor")
        return self._render(CodeForm())

    def post(self, request):
        user, login_name, target = self._pending(request)
        if user is None:
            messages.error(request, _("The login took too long. Please type your password again."))
            return redirect("accounts:login")
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        address = throttle.client_address(request)
        if throttle.is_locked(login_name, address):
            form.add_error(None, _("Too many failed logins. Please wait 15 minutes and try again."))
            return self._render(form, status=429)
        device = two_factor.matching_device(user, form.cleaned_data["code"])
        if device is None:
            throttle.record_failure(login_name, address)
            form.add_error("code", _("This code is not right. Type the newest code from your app."))
            return self._render(form)
        throttle.clear_failures(login_name, address)
        if not request.user.is_authenticated:
            pending = request.session.pop(two_factor.PENDING_KEY)
            login(request, user, backend=pending["backend"])
        two_factor.mark_verified(request, device)
        if device.name == two_factor.BACKUP_NAME:
            left = two_factor.backup_codes_left(user)
            messages.warning(request, _("You used a backup code; %(count)s are left.") % {"count": left})
        return redirect(_after_login(user, target))

    def _render(self, form, status=200):
        return render(
            self.request, self.template_name, {"form": form, "title": _("Two-step verification")}, status=status
        )


class TwoFactorView(LoginRequiredMixin, View):
    """Set up an authenticator app (QR code and the secret in text, confirmed with a code), see backup codes,
    make new ones, or turn two-step verification off when the role does not require it."""

    template_name = "accounts/two_factor.html"

    def dispatch(self, request, *args, **kwargs):
        if (
            request.user.is_authenticated
            and two_factor.has_device(request.user)
            and not two_factor.session_passed(request)
        ):
            return redirect(f"{reverse('accounts:login_code')}?next={request.path}")  # prove it before changing it
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(EnrolForm())

    def post(self, request):
        user = request.user
        action = request.POST.get("action", "enrol")
        if action == "backup":
            try:
                request.session["backup_codes"] = services.new_backup_codes(user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("accounts:two_factor")
        if action == "remove":
            try:
                services.remove_two_factor(user, actor=user)
                messages.success(request, _("Two-step verification is off."))
            except (PermissionDenied, ValidationError) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect("accounts:two_factor")
        form = EnrolForm(request.POST)
        secret = request.session.get(two_factor.ENROL_KEY)
        if not form.is_valid() or not secret:
            return self._render(form, status=400)
        address = throttle.client_address(request)
        if throttle.is_locked(user.username, address):
            form.add_error(None, _("Too many failed logins. Please wait 15 minutes and try again."))
            return self._render(form, status=429)
        try:
            device, codes = services.enrol_totp(user, secret_hex=secret, code=form.cleaned_data["code"])
        except ValidationError as error:
            throttle.record_failure(user.username, address)
            form.add_error("code", error)
            return self._render(form)
        request.session.pop(two_factor.ENROL_KEY, None)
        two_factor.mark_verified(request, device)
        request.session["backup_codes"] = codes
        request.session["two_factor_next"] = _safe_next(request, request.POST.get("next", ""))
        messages.success(request, _("Two-step verification is on. Keep your backup codes somewhere safe."))
        return redirect("accounts:two_factor")

    def _render(self, form, status=200):
        request, user = self.request, self.request.user
        context = {
            "form": form,
            "title": _("Two-step verification"),
            "has_device": two_factor.has_device(user),
            "required": two_factor.must_use(user),
            "backup_codes": request.session.pop("backup_codes", None),
            "backup_left": two_factor.backup_codes_left(user),
            "next": _safe_next(request, request.GET.get("next", "")),
            "continue_to": request.session.pop("two_factor_next", None) or reverse("core:home"),
        }
        if not context["has_device"]:
            secret = request.session.get(two_factor.ENROL_KEY) or two_factor.new_secret()
            request.session[two_factor.ENROL_KEY] = secret
            url = two_factor.provisioning_url(user, secret)
            context.update(secret_text=two_factor.secret_text(secret), qr_svg=two_factor.qr_svg(url))
        return render(request, self.template_name, context, status=status)


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
            if two_factor.has_device(request.user) and not two_factor.session_passed(request):
                raise PermissionDenied(_("Type a code from your authenticator app first."))
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
        context["two_factor_on"] = two_factor.has_device(self.object)
        context["two_factor_required"] = two_factor.must_use(self.object)
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


@require_POST
def reset_two_factor(request, pk):
    """An officer removes a person's authenticator (a lost phone); they enrol again at their next login."""
    user = get_object_or_404(User.objects.restrict(request.user), pk=pk)
    try:
        services.remove_two_factor(user, actor=request.user)
        messages.success(request, _("Two-step verification was reset: this person sets it up again at the next login."))
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("accounts:user_detail", pk=user.pk)


# --- Self-service password reset by e-mail (Django's views, our templates, limits and write path) ---------


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer whether or not the e-mail belongs to someone (no account enumeration); at most
    PASSWORD_RESET_ADDRESS_LIMIT requests per client address (429 beyond) and PASSWORD_RESET_EMAIL_LIMIT mails
    to one e-mail address (beyond, nothing is sent, and the answer is still the same) per window."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_context = {"title": gettext_lazy("Forgot your password?")}

    def post(self, request, *args, **kwargs):
        if not throttle.allow_password_reset_from(throttle.client_address(request)):
            return render(
                request,
                "accounts/password_reset.html",
                {"form": self.get_form(), "too_many": True, "title": _("Forgot your password?")},
                status=429,
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if throttle.allow_password_reset_to(form.cleaned_data["email"]):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    extra_context = {"title": gettext_lazy("Check your e-mail")}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    extra_context = {"title": gettext_lazy("Choose a new password")}

    def form_valid(self, form):
        # The one write path (validation, change log, API tokens revoked) instead of the form's own save().
        services.set_password(form.user, actor=form.user, password=form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    extra_context = {"title": gettext_lazy("Password changed")}
