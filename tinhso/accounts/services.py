"""The one write path for accounts and role assignments."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from tinhso.core.changelog import build_change
from tinhso.core.models.changelog import ChangeAction
from tinhso.core.permissions import require

from . import throttle, two_factor
from .continuity import follow_successions
from .models import RoleAssignment, User, phone_to_e164
from .roles import Role, permissions_of_role
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
    user.phone = phone_to_e164(user.phone)
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    assign_role(user, actor=actor, role=role, unit=unit, include_descendants=include_descendants)
    return user


class PhoneTaken(ValidationError):
    """The phone number already belongs to an account: the person should log in or reset the password."""

    def __init__(self):
        super().__init__(_("This phone number is already registered. Log in with it, or reset the password."))


def _phone_taken(number: str) -> bool:
    return User.objects.filter(phone=number).exists() or User.objects.filter(username=number).exists()


@transaction.atomic
def register_citizen(*, full_name: str, phone: str, password: str, unit) -> User:
    """A person registers themselves: one account per phone number, the citizen role on their commune or
    village (only that unit). The account's login name is the number in E.164."""
    number = phone_to_e164(phone) or ""
    if _phone_taken(number):
        raise PhoneTaken()
    user = User(username=number, phone=number, full_name=full_name)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"], validate_unique=False)  # the number: _phone_taken, then the database
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # the same number registered a moment ago
        raise PhoneTaken() from error
    assign_role(user, actor=None, role=Role.CITIZEN, unit=unit, include_descendants=False)
    return user


@transaction.atomic
def update_user(user: User, *, actor, changes: dict) -> User:
    require(actor, "accounts.change_user", user)
    unknown = set(changes) - set(USER_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if changes.get("is_active") is False and user.is_active:
        for province in _administered_provinces(user):
            _keep_an_administrator(province, leaving=user)
    for field, value in changes.items():
        setattr(user, field, value)
    user.phone = phone_to_e164(user.phone)
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
    follow_successions(assignment)  # a role given on a unit that ended carries on on its successor
    forget_cached_scope(user)
    return assignment


@transaction.atomic
def remove_role(assignment: RoleAssignment, *, actor) -> None:
    """Remove a role, and the roles that continue it on successor units (they were derived from it)."""
    chain = [assignment]
    while (following := chain[-1].continued_by.select_related("unit").first()) is not None and following not in chain:
        chain.append(following)
    for each in chain:
        require(actor, "accounts.delete_roleassignment", each)
        _check_may_grant(actor, each.role, each.unit)
        _keep_an_administrator(each.unit, leaving=each.user, assignments=[one.pk for one in chain])
    for each in reversed(chain):
        each.delete()
    forget_cached_scope(assignment.user)


def _administered_provinces(user: User) -> list:
    """Provinces (units in force today, without parent) on which `user` holds a province administrator role today."""
    today = timezone.localdate()
    return [
        each.unit
        for each in user.role_assignments.filter(role=Role.PROVINCE_ADMIN, unit__parent__isnull=True).select_related(
            "unit"
        )
        if each.is_held_on(today) and each.unit.is_valid_on(today)
    ]


def _keep_an_administrator(unit, *, leaving: User, assignments: list[int] | None = None) -> None:
    """A province keeps at least one active administrator: refuse to remove (or deactivate) the last one.

    `assignments`: the roles about to be removed; None: every role of `leaving` (the user is deactivated).
    """
    today = timezone.localdate()
    if unit.parent_id is not None or not unit.is_valid_on(today):
        return
    admins = RoleAssignment.objects.select_for_update().filter(
        unit=unit, role=Role.PROVINCE_ADMIN, user__is_active=True
    )
    if assignments is not None and not admins.filter(pk__in=assignments).exists():
        return
    remaining = admins.exclude(pk__in=assignments) if assignments is not None else admins.exclude(user=leaving)
    if not any(each.is_held_on(today) for each in remaining):
        raise ValidationError(
            _("%(unit)s must keep at least one province administrator: give the role to another person first.")
            % {"unit": unit}
        )


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


# --- Two-factor authentication (tinhso.accounts.two_factor) ------------------------------------------


def _log_two_factor(user: User, before: str, after: str) -> None:
    build_change(user, ChangeAction.UPDATE, {"two_factor": before}, {"two_factor": after}).save()


@transaction.atomic
def enrol_totp(user: User, *, secret_hex: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """A person confirms an authenticator app with its first code; they get their backup codes at once.

    Any earlier device of theirs is replaced (one phone per person)."""
    step = two_factor.check_new_secret(secret_hex, code)
    if step is None:
        raise ValidationError(_("This code is not right. Check the time on your phone and type the newest code."))
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name=two_factor.TOTP_NAME, key=secret_hex, confirmed=True, last_t=step
    )
    codes = _replace_backup_codes(user)
    _log_two_factor(user, "không", "ứng dụng xác thực")
    return device, codes


def _replace_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=two_factor.BACKUP_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def new_backup_codes(user: User) -> list[str]:
    """Fresh backup codes; the old ones stop working."""
    if not two_factor.has_device(user):
        raise ValidationError(_("Set up an authenticator app first."))
    codes = _replace_backup_codes(user)
    _log_two_factor(user, "mã dự phòng cũ", "mã dự phòng mới")
    return codes


@transaction.atomic
def remove_two_factor(user: User, *, actor) -> None:
    """Turn two-factor off: an officer for a person who lost their phone, or the person themselves when the
    role does not require it. Recorded in the change log."""
    if actor.pk == user.pk:
        if two_factor.must_use(user):
            raise PermissionDenied(_("Your role requires two-step verification; it cannot be turned off."))
    else:
        require(actor, "accounts.change_user", user)
    if not TOTPDevice.objects.filter(user=user).exists() and not StaticDevice.objects.filter(user=user).exists():
        raise ValidationError(_("This person has no two-step verification to reset."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _log_two_factor(user, "ứng dụng xác thực", "đã gỡ (đăng ký lại khi đăng nhập)" if actor.pk != user.pk else "đã tắt")
