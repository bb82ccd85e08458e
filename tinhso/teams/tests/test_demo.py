"""The demo province: a team in every commune and village of Yên Bái, 10,850+ members with the
province's names, a year of activities, and scores that vary. Seeding twice changes nothing."""

import datetime
import io

import pytest
from django.core.management import call_command

from tinhso.accounts.models import User
from tinhso.core.models import ObjectChange
from tinhso.scoring.models import Evaluation
from tinhso.teams.coverage import Coverage, default_root
from tinhso.teams.models import Activity, Person, Team
from tinhso.units.snapshot import snapshot_on


def headline(day):
    admin = User.objects.get(username="admin")
    structure = snapshot_on(day)
    total, _rows = Coverage(admin, structure, default_root(admin, structure)).compute()
    return (
        total.place.name,
        total.communes_covered,
        total.communes,
        total.villages_covered,
        total.villages,
        total.members,
    )


@pytest.mark.django_db
def test_the_demo_has_a_team_everywhere_a_year_of_work_and_varied_scores_and_merged_communes_teams_ended():
    call_command("seed_demo", "--only", "units", "users", "teams", stdout=io.StringIO())
    name, communes_covered, communes, villages_covered, villages, members = headline(datetime.date(2024, 6, 30))
    assert (name, communes_covered, communes, villages_covered, villages) == ("Tỉnh Yên Bái", 173, 173, 1356, 1356)
    assert members >= 10_850
    assert headline(datetime.date.today())[1:5] == (99, 99, 1356, 1356)
    assert Team.objects.active_on(datetime.date.today()).filter(level="commune").count() == 99
    # Teams of the five communes merged on 1/12/2024 ended with them (tinhso.teams.continuity).
    eve_of_the_reform = datetime.date(2025, 6, 30)
    assert Team.objects.active_on(datetime.date(2024, 11, 30)).filter(level="commune").count() == 173
    assert Team.objects.active_on(eve_of_the_reform).filter(level="commune").count() == 168
    assert headline(eve_of_the_reform)[:3] == ("Tỉnh Yên Bái", 168, 168)
    ended = Team.objects.filter(level="commune", ended_on=datetime.date(2024, 11, 30))
    assert ended.count() == 5 and all(not team.unit.is_valid_on(datetime.date(2024, 12, 1)) for team in ended)
    assert Team.objects.active_on(eve_of_the_reform).filter(level="village").count() == 1356
    families = {person.full_name.split()[0] for person in Person.objects.all()}
    assert {"Giàng", "Sùng", "Lò", "Triệu", "Bàn", "Hoàng", "Nguyễn"} <= families
    assert Activity.objects.filter(date__gte=datetime.date.today() - datetime.timedelta(days=365)).count() > 15_000
    assert len(set(Evaluation.objects.values_list("classification", flat=True))) == 5
    assert Evaluation.objects.filter(status="verified").exists() and Evaluation.objects.filter(status="draft").exists()

    counts = (Team.objects.count(), Person.objects.count(), Activity.objects.count(), ObjectChange.objects.count())
    call_command("seed_demo", "--only", "units", "users", "teams", stdout=io.StringIO())
    assert (
        Team.objects.count(),
        Person.objects.count(),
        Activity.objects.count(),
        ObjectChange.objects.count(),
    ) == counts
