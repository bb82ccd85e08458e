import pytest

from tinhso.accounts.testing import users_by_role
from tinhso.core.testing import cast_on
from tinhso.plans.choices import RuleImportance
from tinhso.plans.models import ValidationRule
from tinhso.plans.testing import make_data_set
from tinhso.units.models import Organisation
from tinhso.units.snapshot import forget_snapshots

A, X, D, V, C, L, P = (
    "province_admin",
    "dx_centre_staff",
    "department_staff",
    "district_officer",
    "commune_officer",
    "village_team_leader",
    "party_cell_secretary",
)


@pytest.fixture(autouse=True)
def _fresh_structures():
    forget_snapshots()
    yield
    forget_snapshots()


@pytest.fixture
def users(tree):
    """One person per role, the usual cast (tinhso.core.testing.CAST): the province's people on Yên Bái, the
    district officer on Văn Yên, the commune officer and a citizen on Xuân Ái, the team leader on Khe Dứa and
    the party cell secretary on Nà Hẩu."""
    return users_by_role(cast_on(tree))


@pytest.fixture
def committee(tree):
    return Organisation.objects.create(name="UBND xã Xuân Ái", kind="peoples_committee", unit=tree.xuan_ai)


@pytest.fixture
def commune_plan(tree):
    from tinhso.plans.testing import make_plan

    return make_plan(tree.xuan_ai, number="12/KH-UBND")


@pytest.fixture
def dossiers(tree):
    """A monthly commune data set of files received and filed online, with the rule online ≤ received."""
    data_set = make_data_set(
        "XA_THANG", "month", "commune", [("HS_TIEPNHAN", "Hồ sơ tiếp nhận"), ("HS_TRUCTUYEN", "Hồ sơ trực tuyến")]
    )
    ValidationRule.objects.create(
        data_set=data_set,
        name="Trực tuyến ≤ tiếp nhận",
        message="Hồ sơ trực tuyến không vượt quá hồ sơ tiếp nhận",
        left="#{HS_TRUCTUYEN}",
        operator="<=",
        right="#{HS_TIEPNHAN}",
        importance=RuleImportance.WARNING,
    )
    return data_set
