"""The one write path for accounts and role assignments."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from tinhso.core.changelog import build_change
from tinhso.core.models.changelog import ChangeAction
from tinhso.core.permissions import require

from . import throttle
from .models import RoleAssignment, User, normalise_phone
from .roles import permissions_of_role
from .scope import forget_cached_scope, has_permission_on

USER_EDITABLE_FIELDS = ("full_name", "email", "phone", "organisation", "is_active", "first_name", "last_name")


def _check_may_grant(actor, role: str, unit) -> None:
    """Nobody hands out more than they hold: every permission of `role` must be the actor's on `unit`."""
    if actor is None or actor.is_superuser:
        return
    missing = [name for name in permissions_of_role(role) if not has_permission_on(actor, name, unit)]
    if missing:
        raise PermissionDenied(_("You cannot give a role with more rights than your own on this unit."))


@transaction.atomic
def create_user(
    *, actor, username: str, password: str | None, role: str, unit, include_descendants=True, **fields
) -> User:
    require(actor, "accounts.add_user", unit)
    _check_may_grant(actor, role, unit)
    user = User(username=username.strip(), **{k: v for k, v in fields.items() if k in USER_EDITABLE_FIELDS})
    user.phone = normalise_phone(user.phone)
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    assign_role(user, actor=actor, role=role, unit=unit, include_descendants=include_descendants)
    return user


@transaction.atomic
def update_user(user: User, *, actor, changes: dict) -> User:
    require(actor, "accounts.change_user", user)
    unknown = set(changes) - set(USER_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for field, value in changes.items():
        setattr(user, field, value)
    user.phone = normalise_phone(user.phone)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def set_password(user: User, *, actor, password: str) -> None:
    if actor is not None and actor.pk != user.pk:
        require(actor, "accounts.change_user", user)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    build_change(user, ChangeAction.UPDATE, {"password": "••••"}, {"password": "•••• (đã đổi)"}).save()
    Token.objects.filter(user=user).delete()


@transaction.atomic
def assign_role(user: User, *, actor, role: str, unit, include_descendants: bool = True) -> RoleAssignment:
    assignment = RoleAssignment(user=user, role=role, unit=unit, include_descendants=include_descendants)
    require(actor, "accounts.add_roleassignment", assignment)
    _check_may_grant(actor, role, unit)
    assignment.full_clean(validate_constraints=False)
    if RoleAssignment.objects.filter(user=user, role=role, unit=unit).exists():
        raise ValidationError(_("This user already has this role on this unit."))
    assignment.save()
    forget_cached_scope(user)
    return assignment


@transaction.atomic
def remove_role(assignment: RoleAssignment, *, actor) -> None:
    require(actor, "accounts.delete_roleassignment", assignment)
    _check_may_grant(actor, assignment.role, assignment.unit)
    assignment.delete()
    forget_cached_scope(assignment.user)


def issue_token(user: User) -> str:
    token, _created = Token.objects.get_or_create(user=user)
    return token.key


def revoke_token(user: User) -> None:
    Token.objects.filter(user=user).delete()


def login_is_locked(user: User) -> bool:
    """Whether this person's account is locked from anywhere (the per-address locks lift by themselves)."""
    return any(throttle.was_locked(login) for login in filter(None, (user.username, user.phone)))


@transaction.atomic
def lift_login_lockout(user: User, *, actor) -> None:
    """An officer lets a person try again now, at every address, instead of waiting out the window."""
    require(actor, "accounts.change_user", user)
    for login in filter(None, (user.username, user.phone)):
        throttle.lift_lockout(login)
    build_change(user, ChangeAction.UPDATE, {"login_lockout": "khóa"}, {"login_lockout": "đã mở khóa"}).save()
