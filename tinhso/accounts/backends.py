from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from . import throttle
from .models import User, phone_to_e164
from .roles import all_permission_names, role_grants
from .scope import has_permission_on, has_permission_somewhere


class UsernameOrPhoneBackend(ModelBackend):
    """Log in with a username or a phone number; permissions come from roles on units."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = self._find(username.strip())
        if user is None:
            User().set_password(password)  # same work as a real check, so timing reveals nothing
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            throttle.clear_failures(username, throttle.client_address(request))
            return user
        return None

    def _find(self, login: str):
        user = User.objects.filter(username__iexact=login).first()
        phone = phone_to_e164(login) if any(ch.isdigit() for ch in login) else None
        if user is None and phone:
            user = User.objects.filter(phone=phone).first()
        return user

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active:
            return False
        if obj is None:
            return has_permission_somewhere(user_obj, perm)
        return has_permission_on(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(name.startswith(f"{app_label}.") for name in self.get_all_permissions(user_obj))

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        if user_obj.is_superuser:
            return set(all_permission_names())
        roles = {assignment.role for assignment in user_obj.role_assignments.all()}
        return {name for name in all_permission_names() if any(role_grants(role, name) for role in roles)}

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()


@receiver(user_login_failed)
def count_failed_login(sender, credentials, request=None, **kwargs):
    throttle.record_failure(credentials.get("username", ""), throttle.client_address(request))
