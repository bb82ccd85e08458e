"""Users' phone numbers in E.164 (+84912345678); a number not in service today is cleared."""

import phonenumbers
from django.db import migrations

KEPT_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


def to_e164(raw):
    try:
        number = phonenumbers.parse(raw, "VN")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in KEPT_TYPES:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    taken = set()
    for user in User.objects.exclude(phone__isnull=True).exclude(phone="").order_by("pk"):
        phone = to_e164(user.phone)
        if phone in taken:
            phone = None
        taken.add(phone)
        User.objects.filter(pk=user.pk).update(phone=phone)


def backwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(phone__startswith="+84"):
        User.objects.filter(pk=user.pk).update(phone="0" + user.phone[3:])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_role_continuity")]

    operations = [migrations.RunPython(forwards, backwards)]
