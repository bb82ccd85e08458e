"""A village team leader's home page: the team this month, its score and what is missing, an "add activity" button."""

import re
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.scoring.models import Evaluation, Score
from tinhso.teams.models import ActivityType, Team

from .conftest import criterion, make_index, make_team, record


def figure(page: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]+)<', page).group(1)


def home(user) -> str:
    return web_client(user).get(reverse("core:home")).content.decode()


def scored(team, points: dict, period: str):
    index = make_index("village", team.unit)
    evaluation = Evaluation.objects.create(
        criteria_set=index,
        period=period,
        subject_type=ContentType.objects.get_for_model(Team),
        subject_id=team.pk,
        subject_label=team.name,
        unit=team.unit,
        total=sum(points.values()),
        max_total=Decimal(10 * len(points)),
    )
    for code, given in points.items():
        Score.objects.create(evaluation=evaluation, criterion=criterion(index, code, "", points=10), points=given)
    return evaluation


def test_a_team_leader_sees_the_month_the_score_and_the_missing_points(tree):
    ActivityType.objects.create(code="vneid", name="Hướng dẫn kích hoạt VNeID mức 2", order=1)
    team = make_team(tree.new_khe_dua, founded_on=tree.new_khe_dua.valid_from)
    leader = make_user("village_team_leader", tree.new_khe_dua)
    today = timezone.localdate()
    record(team, today, people_reached=25)
    record(team, today, people_reached=15)
    record(team, today.replace(year=today.year - 1))
    scored(team, {"1.1": Decimal(10), "1.2": Decimal(4), "1.3": Decimal(7)}, str(today.year))

    page = home(leader)

    assert figure(page, "month_activities") == "2"
    assert figure(page, "month_people") == "40"
    assert figure(page, "score") == "21/30"
    assert "Tiêu chí 1.2" in page and "Tiêu chí 1.3" in page and "Tiêu chí 1.1" not in page
    assert reverse("teams:activity_add", args=[team.pk]) in page


def test_a_new_team_reads_what_to_do_first(tree):
    make_team(tree.new_khe_dua, founded_on=tree.new_khe_dua.valid_from)
    page = home(make_user("village_team_leader", tree.new_khe_dua))

    assert figure(page, "month_activities") == "0"
    assert "Tháng này chưa ghi hoạt động nào" in page
    assert "Tổ chưa được chấm điểm" in page


def test_someone_without_a_team_gets_no_team_card(tree):
    page = home(make_user("village_team_leader", tree.new_khe_dua))

    assert 'id="home-teams-title"' not in page


def test_the_team_card_costs_the_same_queries_with_many_activities(tree, django_assert_max_num_queries):
    ActivityType.objects.create(code="vneid", name="Hướng dẫn kích hoạt VNeID mức 2", order=1)
    team = make_team(tree.new_khe_dua, founded_on=tree.new_khe_dua.valid_from)
    leader = make_user("village_team_leader", tree.new_khe_dua)
    for _ in range(15):
        record(team, timezone.localdate())
    client = web_client(leader)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("core:home")).status_code == 200
