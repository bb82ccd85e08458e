from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from tinhso.core.phones import e164
from tinhso.core.text import clean_text
from tinhso.units.models import Unit

from . import registration, throttle
from .roles import Role


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username or phone number"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request, *args, **kwargs):
        self.request, self.user = request, None
        super().__init__(*args, **kwargs)

    def clean(self):
        login, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not login or not password:
            return self.cleaned_data
        if throttle.is_locked(login, throttle.client_address(self.request)):
            raise forms.ValidationError(_("Too many failed logins. Please wait 15 minutes and try again."))
        self.user = authenticate(self.request, username=login, password=password)
        if self.user is None:
            raise forms.ValidationError(_("Wrong username, phone number or password."))
        return self.cleaned_data


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Phone number"), max_length=20, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    password = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput,
        help_text=_("At least 10 characters; the person should change it after logging in."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit_code = forms.CharField(
        label=_("On unit (code)"),
        max_length=20,
        help_text=_("Official code of the unit, e.g. 04441 for Xã Xuân Ái."),
    )
    include_descendants = forms.BooleanField(label=_("Also on the units below"), required=False, initial=True)

    def __init__(self, *args, user=None, day=None, **kwargs):
        self.actor, self.day = user, day
        super().__init__(*args, **kwargs)

    def clean_unit_code(self):
        code = self.cleaned_data["unit_code"].strip()
        unit = Unit.objects.restrict(self.actor).valid_on(self.day).filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(_("No unit with this code is within your units on this date."))
        self.cleaned_data["unit"] = unit
        return code


class RoleAssignmentForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit_code = UserCreateForm.base_fields["unit_code"]
    include_descendants = UserCreateForm.base_fields["include_descendants"]

    def __init__(self, *args, user=None, day=None, **kwargs):
        self.actor, self.day = user, day
        super().__init__(*args, **kwargs)

    clean_unit_code = UserCreateForm.clean_unit_code


class ProfilePasswordForm(PasswordChangeForm):
    pass


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("The 6 digits your authenticator app shows now, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=12,
        help_text=_("After adding the account, type the 6 digits the app shows."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class PhoneCodeForm(forms.Form):
    """The 6 digits of the SMS; spaces and dashes typed between them do not matter."""

    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=20,
        help_text=_("The 6 digits in the SMS from Tỉnh Số."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_code(self):
        code = "".join(ch for ch in self.cleaned_data["code"] if ch not in " -.")
        if len(code) != 6 or not code.isascii() or not code.isdigit():
            raise forms.ValidationError(_("Type the 6 digits of the code."))
        return code


class RegisterForm(forms.Form):
    """A citizen registers: name, phone number, commune (village optional), password."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        help_text=_("You log in with it, for example 0912 345 678."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    commune = forms.TypedChoiceField(label=_("Commune or ward where you live"), coerce=int)
    village = forms.CharField(label=_("Village or residential group (optional)"), max_length=150, required=False)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 10 characters."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(unit.id, unit.name) for unit in registration.communes()]
        self.fields["commune"].choices = [("", _("— choose your commune —")), *choices]

    def clean_full_name(self):
        return clean_text(self.cleaned_data["full_name"]).strip()

    def clean_phone(self):
        number = e164(self.cleaned_data["phone"])
        if not number:
            raise forms.ValidationError(_("Enter a Vietnamese phone number in service, for example 0912 345 678."))
        return number

    def clean_village(self):
        return clean_text(self.cleaned_data["village"]).strip()

    def clean(self):
        commune, village = self.cleaned_data.get("commune"), self.cleaned_data.get("village")
        if commune:
            place = registration.village_named(commune, village) if village else None
            if village and place is None:
                self.add_error("village", _("This commune has no village of this name; leave it empty if unsure."))
            self.cleaned_data["unit"] = Unit.objects.get(pk=place.id if place else commune)
        return self.cleaned_data
