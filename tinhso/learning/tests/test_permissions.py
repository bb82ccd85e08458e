"""Every role × every managing action on the commune of Xuân Ái; a refusal changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.accounts.testing import make_user
from tinhso.core.testing import api_client, web_client
from tinhso.learning.models import Question

from .factories import make_contest, stock_bank

pytestmark = pytest.mark.django_db

ROLES = {
    "province_admin": (True, True, True),
    "dx_centre_staff": (True, True, True),
    "department_staff": (False, True, False),
    "district_officer": (True, True, True),
    "commune_officer": (True, True, True),
    "village_team_leader": (False, False, False),
    "party_cell_secretary": (False, False, False),
    "citizen": (False, False, False),
}


def unit_for(role, tree):
    return tree.lao_cai if role in ("province_admin", "dx_centre_staff", "department_staff") else tree.new_xuan_ai


@pytest.mark.parametrize(("role", "allowed"), ROLES.items())
def test_who_may_import_read_reports_and_count_digital_citizens(tree, role, allowed):
    may_import, may_report, may_count = allowed
    user = make_user(role, unit_for(role, tree))
    stock_bank(tree.lao_cai, count=3)
    contest = make_contest(tree.lao_cai)
    before = Question.objects.count()
    file = SimpleUploadedFile("bank.gift", "Thủ đô? {=Hà Nội ~Huế}\n".encode())
    response = api_client(user).post("/api/v1/questions/import/", {"file": file, "format": "gift"})
    assert (response.status_code == 200) == may_import, response.content
    assert Question.objects.count() == before + (1 if may_import else 0)
    client = web_client(user)
    assert (client.get(f"/learning/contests/{contest.pk}/report/").status_code == 200) == may_report
    assert (client.get("/learning/citizens/").status_code == 200) == may_count
