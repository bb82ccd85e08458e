"""The one write path for accounts and role assignments."""

import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from tinhso.core import notifications
from tinhso.core.changelog import build_change
from tinhso.core.models.changelog import ChangeAction
from tinhso.core.permissions import require

from . import phone_verification, throttle, two_factor
from .continuity import follow_successions
from .models import PhoneCode, RoleAssignment, User, phone_to_e164
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


def _claimable(number: str) -> bool:
    """A number held only by an account that never proved it may be claimed by whoever receives its code."""
    if not phone_verification.is_available():
        return False
    holders = User.objects.filter(Q(phone=number) | Q(username=number))
    return not holders.filter(phone_verified_at__isnull=False).exists() and holders.filter(phone=number).exists()


@transaction.atomic
def register_citizen(*, full_name: str, phone: str, password: str, unit) -> User:
    """A person registers themselves: one account per phone number, the citizen role on their commune or
    village (only that unit). The account's login name is the number in E.164.

    A number another account holds without having verified it may still be registered: the new account gets
    it only by verifying it (verify_phone), and meanwhile has no number and a provisional login name."""
    number = phone_to_e164(phone) or ""
    claim = _phone_taken(number)
    if claim and not _claimable(number):
        raise PhoneTaken()
    username = f"{number}-{secrets.token_hex(3)}" if claim else number
    user = User(username=username, phone=None if claim else number, full_name=full_name)
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


# --- Phone verification (tinhso.accounts.phone_verification) ------------------------------------------


class PhoneCodeRefused(ValidationError):
    """Too soon or too often: the page answers 429."""


class PhoneCodeNotSent(ValidationError):
    """The SMS gateway did not take the message: the page answers 503 and nothing was spent but the limits."""


def send_phone_code(user: User, *, address: str, phone: str = "") -> PhoneCode:
    """Send `user` a new code for their unverified number, or for `phone` (a number they claim); the code
    before it stops working. Limited per number and per client address (throttle.phone_code_refusal)."""
    number = phone_to_e164(phone) if phone else phone_verification.number_to_verify(user)
    if not number or (number == user.phone and user.phone_verified_at):
        raise ValidationError(_("Your phone number is already verified, or your account has none."))
    if not phone_verification.is_available():
        raise ValidationError(_("Codes cannot be sent by SMS on this platform."))
    if User.objects.filter(phone=number, phone_verified_at__isnull=False).exclude(pk=user.pk).exists():
        raise ValidationError(_("Another account has already verified this phone number."))
    refusal = throttle.phone_code_refusal(number, address)
    if refusal == "too_soon":
        raise PhoneCodeRefused(_("A code was sent less than a minute ago. Wait a minute before asking again."))
    if refusal:
        raise PhoneCodeRefused(_("Too many codes were asked for this number. Please try again in an hour."))
    code, now = phone_verification.new_code(), timezone.now()
    with transaction.atomic():
        PhoneCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
        row = PhoneCode.objects.create(
            user=user,
            phone=number,
            code_hash=phone_verification.code_hash(user.pk, number, code),
            expires_at=now + phone_verification.CODE_LIFETIME,
        )
    try:
        notifications.send_now(
            user,
            kind=phone_verification.KIND,
            channel="sms",
            address=number,
            subject="Tỉnh Số",
            body=_("Your verification code is %(code)s. It is valid for %(minutes)d minutes; do not give it to anyone.")
            % {"code": code, "minutes": phone_verification.lifetime_minutes()},
            record=_("A verification code was sent by SMS to %(phone)s.")
            % {"phone": phone_verification.masked(number)},
        )
    except notifications.DeliveryError as error:
        raise PhoneCodeNotSent(_("The SMS could not be sent. Please try again in a few minutes.")) from error
    return row


def verify_phone(user: User, *, code: str) -> User:
    """The person types the code: their number is verified. When it was a number another account held without
    having verified it, that account loses it (and its login name, if it was the number) and this one gets it."""
    with transaction.atomic():
        row = PhoneCode.objects.select_for_update().filter(user=user, used_at__isnull=True).first()
        problem = _code_problem(row, code, timezone.now())
        if problem is None and row is not None:
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
            problem = _take_number(user, row.phone, row.used_at)
    if problem:
        raise problem
    return user


def _code_problem(row: PhoneCode | None, code: str, now) -> ValidationError | None:
    """Why `code` does not verify (a wrong try is counted and kept), or None when it does."""
    if row is None:
        return ValidationError(_("Ask for a code first."))
    if row.failed_attempts >= phone_verification.MAX_WRONG_TRIES:
        return PhoneCodeRefused(_("Too many wrong tries for this code. Ask for a new code."))
    if row.expires_at <= now:
        return ValidationError(_("This code has expired. Ask for a new code."))
    if not phone_verification.code_matches(row, code):
        row.failed_attempts += 1
        row.save(update_fields=["failed_attempts"])
        if row.failed_attempts >= phone_verification.MAX_WRONG_TRIES:
            return PhoneCodeRefused(_("Too many wrong tries for this code. Ask for a new code."))
        return ValidationError(_("This code is not right. Check the SMS and type the newest code."))
    return None


def _take_number(user: User, number: str, now) -> ValidationError | None:
    holders = list(User.objects.select_for_update().filter(Q(phone=number) | Q(username=number)).exclude(pk=user.pk))
    if any(holder.phone_verified_at and holder.phone == number for holder in holders):
        return ValidationError(_("Another account has already verified this phone number."))
    for holder in holders:  # a squatter, or an old account of the same person: the number is no longer theirs
        holder.phone = None if holder.phone == number else holder.phone
        holder.username = f"{number}-{holder.pk}" if holder.username == number else holder.username
        holder.save(update_fields=["phone", "username", "updated_at"])
    user.phone, user.phone_verified_at = number, now
    if user.username.startswith(f"{number}-"):
        user.username = number
    user.save(update_fields=["phone", "phone_verified_at", "username", "updated_at"])
    return None


@transaction.atomic
def update_user(user: User, *, actor, changes: dict) -> User:
    require(actor, "accounts.change_user", user)
    unknown = set(changes) - set(USER_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if changes.get("is_active") is False and user.is_active:
        for province in _administered_provinces(user):
            _keep_an_administrator(province, leaving=user)
    before = user.phone
    for field, value in changes.items():
        setattr(user, field, value)
    user.phone = phone_to_e164(user.phone)
    if user.phone != before:  # a new number is not proved yet; codes sent to the old one stop working
        user.phone_verified_at = None
        user.phone_codes.filter(used_at__isnull=True).update(expires_at=timezone.now())
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
