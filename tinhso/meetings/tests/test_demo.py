"""The demo reproduces the seeds' figures exactly, and the secretary's cell has a year of meetings."""

import io

from django.core.management import call_command

from tinhso.core.testing import web_client
from tinhso.meetings import rollout
from tinhso.meetings.demo_data import seed_rollout
from tinhso.meetings.models import CellRollout, PartyOrganisation


def test_rollout_totals_are_the_seeds_figures(tree, django_user_model):
    seed_rollout(tree.lao_cai)
    admin = django_user_model.objects.create_superuser("tinh", password="mat-khau-rat-dai-2025")
    figures = rollout.dashboard(admin)
    total = figures["total"]
    assert PartyOrganisation.objects.count() == 6 and len(figures["rows"]) == 6
    assert (total["deployed"], total["cells"], total["cells_percent"]) == (1292, 2910, "44,4")
    assert (total["accounts"], total["members"], total["accounts_percent"]) == (28239, 50772, "55,6")
    assert (total["subordinate"], total["grassroots"]) == (1193, 99)
    assert sum(row["deployed"] for row in figures["rows"]) == 1292
    assert not CellRollout.objects.filter(accounts__gt=models_members()).exists()
    page = web_client(admin).get("/meetings/rollout/?organisation=DB-CA").content.decode()
    assert "1.292/2.910" in page and "44,4" in page and "55,6" in page


def models_members():
    from django.db.models import F

    return F("members")


def test_percentages_are_one_decimal_with_a_comma():
    assert rollout.percent(1292, 2910) == "44,4"
    assert rollout.percent(28239, 50772) == "55,6"
    assert rollout.percent(1, 3) == "33,3" and rollout.percent(2, 3) == "66,7" and rollout.percent(0, 0) == "0,0"


def test_the_demo_gives_the_secretary_a_year_of_meetings(db):
    call_command("seed_demo", "--only", "units", "users", "work", "meetings", stdout=io.StringIO())
    from tinhso.accounts.models import User
    from tinhso.meetings.models import Decision, Meeting

    secretary = User.objects.get(username="bithu.xuanai")
    assert secretary.check_password("tinhso-demo")
    mine = Meeting.objects.filter(body__members__user=secretary, body__members__role="secretary")
    assert mine.filter(status="closed").count() == 11 and mine.filter(status="planned").count() == 2
    assert "chưa kết thúc" in web_client(secretary).get("/").content.decode()
    assert Decision.objects.filter(work_item__isnull=False).exists()
    page = web_client(secretary).get("/meetings/").content.decode()
    assert "Chi bộ" in page
