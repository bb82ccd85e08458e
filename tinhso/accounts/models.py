import re

import phonenumbers
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tinhso.core.models import ChangeLoggedModel, RestrictedQuerySet, ScopedModel
from tinhso.core.phones import parse_phone

from .roles import Role

PHONE_PATTERN = re.compile(r"^0\d{9,10}$")


def normalise_phone(raw: str | None) -> str | None:
    """'+84 912 345 678', '84912345678' and '0912.345.678' all become '0912345678' (national digits;
    the teams module keeps its members' numbers this way). Users' numbers are stored in E.164: phone_to_e164."""
    if not raw:
        return None
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits or None


def phone_to_e164(raw: str | None) -> str | None:
    """'0912 345 678', '+84912345678', '84-912-345-678' → '+84912345678'; None when empty; the text as
    typed when it is not a valid number (the validator then refuses it)."""
    if not raw or not raw.strip():
        return None
    number = parse_phone(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) if number else raw.strip()


def format_phone(value: str | None) -> str:
    """'+84912345678' → '0912 345 678', the way people in Việt Nam write it."""
    number = parse_phone(value)
    if number is None:
        return value or ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def validate_phone(value: str) -> None:
    if value and parse_phone(value) is None:
        raise ValidationError(
            _("Enter a Vietnamese phone number in service, for example 0912 345 678."), code="invalid_phone"
        )


class ScopedUserManager(UserManager.from_queryset(RestrictedQuerySet)):  # type: ignore[misc]
    pass


class User(ChangeLoggedModel, AbstractUser):
    phone = models.CharField(
        _("phone number"), max_length=15, unique=True, null=True, blank=True, validators=[validate_phone]
    )
    phone_verified_at = models.DateTimeField(
        _("phone verified at"),
        null=True,
        blank=True,
        help_text=_("When the person proved with a code sent by SMS that the phone number is theirs."),
    )
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        "units.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )

    objects = ScopedUserManager()  # type: ignore[misc]

    scope_path = "role_assignments__unit__path"
    scope_distinct = True
    change_log_exclude = ("created_at", "updated_at", "password", "last_login")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.username

    def clean(self):
        super().clean()
        self.phone = phone_to_e164(self.phone)

    def save(self, *args, **kwargs):
        self.phone = phone_to_e164(self.phone)  # E.164 whichever path saves the user
        super().save(*args, **kwargs)

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)

    @property
    def phone_is_verified(self) -> bool:
        return bool(self.phone and self.phone_verified_at)

    def unit_paths(self) -> list[str]:
        return [assignment.unit.path for assignment in self.role_assignments.select_related("unit")]

    @classmethod
    def change_log_unit_paths(cls, instances: list) -> list[str]:
        """One query for the whole batch finds who holds any role; only those need their own (a batch of new
        accounts, as an import or the demo creates, holds none)."""
        keys = [user.pk for user in instances if user.pk is not None]
        holding: set[int] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            holding.update(RoleAssignment.objects.filter(user_id__in=chunk).values_list("user_id", flat=True))
        return [user.change_log_unit_path() if user.pk is None or user.pk in holding else "" for user in instances]


class RoleAssignment(ChangeLoggedModel, ScopedModel):
    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    include_descendants = models.BooleanField(
        _("includes units below"),
        default=True,
        help_text=_("The role also applies to every unit below this one (for example the villages of a commune)."),
    )
    valid_from = models.DateField(
        _("held from"), null=True, blank=True, help_text=_("Empty: since the role was given.")
    )
    valid_to = models.DateField(
        _("held until"),
        null=True,
        blank=True,
        help_text=_("Set when the unit ended in a reorganisation: the role continues on the unit's successor."),
    )
    continues = models.ForeignKey(
        "self",
        verbose_name=_("continues"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="continued_by",
        help_text=_("The role on the predecessor unit that this one carries on after a reorganisation."),
    )

    objects = RestrictedQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="unique_role_per_unit")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.unit}"

    def is_held_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class PhoneCode(models.Model):
    """A one-time code sent by SMS to prove that a person holds `phone` (tinhso.accounts.phone_verification).

    Only an HMAC of the code is kept. Not change-logged: it is a secret's trace, not a fact about the person;
    the fact (the phone verified) is logged on the user."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="phone_codes")
    phone = models.CharField(_("phone number"), max_length=15)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    failed_attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("phone verification code")
        verbose_name_plural = _("phone verification codes")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.user} — {format_phone(self.phone)}"
