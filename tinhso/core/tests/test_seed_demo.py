import datetime
import io

import pytest
from django.core.management import call_command

from tinhso.accounts.models import User
from tinhso.core.models import ObjectChange
from tinhso.units.models import Organisation, Unit

ONE_DAY_IN_2023 = datetime.date(2023, 6, 1)
ONE_DAY_IN_2025 = datetime.date(2025, 3, 1)
AFTER_REFORM = datetime.date(2026, 1, 1)


def census(day, code="15"):
    province = Unit.objects.valid_on(day).get(code=code)
    units = Unit.objects.valid_on(day).within(province)
    return province.name, {level: units.filter(level=level).count() for level in ("district", "commune", "village")}


@pytest.mark.django_db
def test_the_demo_province_is_yen_bai_before_the_reform_and_lao_cai_after():
    call_command("seed_demo", "--only", "units", "users", stdout=io.StringIO())
    assert census(ONE_DAY_IN_2023) == ("Tỉnh Yên Bái", {"district": 9, "commune": 173, "village": 1356})
    assert census(ONE_DAY_IN_2025) == ("Tỉnh Yên Bái", {"district": 9, "commune": 168, "village": 1356})
    assert census(AFTER_REFORM) == ("Tỉnh Lào Cai", {"district": 0, "commune": 99, "village": 1356})
    xuan_ai = Unit.objects.valid_on(ONE_DAY_IN_2025).get(code="04441")
    assert (xuan_ai.name, xuan_ai.parent.name) == ("Xã Xuân Ái", "Huyện Văn Yên")
    assert Organisation.objects.filter(kind="party_cell").count() == 1356
    officer = User.objects.get(username="canbo.xuanai")
    assert officer.check_password("tinhso-demo")
    # Her role on the old Xuân Ái ended with it and continues on the new commune that absorbed it (issue 8, item 7).
    assert [(a.role, a.unit.code, a.valid_from, a.valid_to) for a in officer.role_assignments.order_by("pk")] == [
        ("commune_officer", "04441", None, datetime.date(2025, 6, 30)),
        ("commune_officer", "04441", datetime.date(2025, 7, 1), None),
    ]
    assert {a.unit.name for a in User.objects.get(username="admin").role_assignments.all()} == {
        "Tỉnh Yên Bái",
        "Tỉnh Lào Cai",
    }

    units, changes = Unit.objects.count(), ObjectChange.objects.count()
    call_command("seed_demo", "--only", "units", "users", stdout=io.StringIO())
    assert (Unit.objects.count(), ObjectChange.objects.count()) == (units, changes)
