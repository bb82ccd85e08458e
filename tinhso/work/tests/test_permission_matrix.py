"""Every role (and anonymous), and the people of a commune committee, × work's API and pages, with the shared
permission matrix (tinhso.core.testing): a refused write changes no row and writes no change log.

Expected outcomes come from WorkConfig.ready() and docs/work.md: officials of a commune, a district and the DX
centre hold the work permissions on their units, so work items are seen by whoever holds them on the item's
unit; giving work needs the line (oneself, the managers above, the head). Scores are private: the official,
the managers up the line and the body's head and personnel officers see them; anyone else — whatever their
role, the province administrator included — gets 404."""

import datetime
import itertools

import pytest

from tinhso.accounts.testing import users_by_role
from tinhso.core.models import Message
from tinhso.core.testing import READ, ApiMatrix, PageMatrix, api_client, database_state, web_client
from tinhso.work import evaluation
from tinhso.work.models import Appeal, MonthlyReview, ReviewEvent, WorkItem

from .conftest import assign, finish

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)

PLACES = {
    "province_admin": "yen_bai",
    "dx_centre_staff": "yen_bai",
    "department_staff": "yen_bai",
    "district_officer": "van_yen",
    "commune_officer": "xuan_ai",
    "village_team_leader": "khe_dua",
    "party_cell_secretary": "na_hau",
    "citizen": "xuan_ai",
}
# Roles holding work.view_workitem on a unit covering Xuân Ái (the committee's commune).
ROLE_READERS = ("province_admin", "dx_centre_staff", "district_officer", "commune_officer")
# The committee's people (world in conftest) hold the commune officer's role on Xuân Ái; the stranger heads a
# body of Khánh Hòa.
PEOPLE = ("official", "manager", "head", "personnel", "colleague", "stranger")
SEE_SCORES = ("official", "manager", "head", "personnel")


def review_refusal(role: str, user) -> tuple[int, ...]:
    """How a review step refuses someone: who sees the scores is told no (403); who holds the role's permission
    but not the official's scores learns nothing (404); a role without the permission is refused outright (403);
    anonymous is asked to log in."""
    if user is None:
        return (401, 403)
    if role in SEE_SCORES or not user.has_perm("work.change_monthlyreview"):
        return (403,)
    return (404,)


@pytest.fixture
def users(world):
    people = users_by_role({role: getattr(world.tree, place) for role, place in PLACES.items()})
    return (
        people
        | {"anonymous": None}
        | {
            "official": world.officer.user,
            "manager": world.deputy.user,
            "head": world.chairman.user,
            "personnel": world.personnel.user,
            "colleague": world.colleague.user,
            "stranger": world.stranger.user,
        }
    )


def an_item(world):
    return assign(world, title=f"Việc ma trận {next(_numbers)}")


def new_item(world):
    return {
        "title": f"Việc mới {next(_numbers)}",
        "assignee": world.officer.user_id,
        "assigned_on": "2026-03-02",
        "due_date": "2026-03-25",
    }


def test_work_items_are_seen_on_their_unit_and_given_only_down_the_line(world, users):
    matrix = ApiMatrix(
        "/api/v1/work/",
        WorkItem,
        make=lambda: an_item(world),
        create=lambda: new_item(world),
        update={"title": "Đã sửa", "status": "accepted"},
    )
    expected = {role: set(READ) for role in (*ROLE_READERS, "official", "manager", "head", "personnel", "colleague")}
    for giver in ("official", "manager", "head"):
        expected[giver].add("create")
    matrix.check(users, expected)


def test_the_inbox_lists_and_the_item_page_shows_a_unit_item_to_the_same_people(world, users):
    matrix = PageMatrix(
        "/work/?tab=unit",
        lambda item: f"/work/{item.pk}/",
        make=lambda: an_item(world),
        shows=lambda item: item.title,
    )
    readers = (*ROLE_READERS, "official", "manager", "head", "personnel", "colleague")
    matrix.check(users, {role: {"list", "detail"} for role in readers})


@pytest.mark.parametrize("period", ["2026-03", "2026Q1", "2026"])
def test_an_officials_score_is_seen_by_them_their_line_and_personnel_and_is_404_to_everyone_else(world, users, period):
    finished = assign(world, title="Báo cáo tháng 3")
    finish(world, finished, submitted=datetime.date(2026, 3, 18))
    wrong = []
    for role, user in users.items():
        response = api_client(user).get("/api/v1/evaluations/", {"person": world.officer.user_id, "period": period})
        page = web_client(user).get(f"/work/evaluations/{world.officer.pk}/{period}/")
        if role in SEE_SCORES:
            if response.status_code != 200 or response.json()["person"] != world.officer.user_id:
                wrong.append(f"{role} API: 200 expected, got {response.status_code}")
            if page.status_code != 200:
                wrong.append(f"{role} page: 200 expected, got {page.status_code}")
        else:
            # A logged-in outsider learns nothing (404); anonymous is asked to log in.
            refused = (401, 403) if user is None else (404,)
            if response.status_code not in refused:
                wrong.append(f"{role} API: {refused} expected, got {response.status_code}")
            if page.status_code not in ((302,) if user is None else (404,)):
                wrong.append(f"{role} page: refused expected, got {page.status_code}")
    assert not wrong, "Score privacy differs:\n  " + "\n  ".join(wrong)


def an_appeal(world):
    # A builder, not the filing path (tested in test_appeals): a month of its own each time, so that any number
    # may wait at once.
    number = next(_numbers)
    period = f"{2020 + number // 12}{number % 12 + 1:02d}"
    return Appeal.objects.create(staff=world.officer, period=period, reason="Chấm thiếu", filed_by=world.officer.user)


def test_an_appeal_is_listed_and_shown_to_those_who_see_the_officials_scores_only(world, users):
    matrix = PageMatrix(
        "/work/appeals/",
        lambda appeal: f"/work/appeals/{appeal.pk}/",
        make=lambda: an_appeal(world),
        shows=lambda appeal: f"/work/appeals/{appeal.pk}/",
    )
    matrix.check(users, {role: {"list", "detail"} for role in SEE_SCORES})


def test_the_dossier_follows_the_score_rule_and_the_bodys_table_is_for_its_head_and_personnel_only(world, users):
    # docs/work.md: the year's dossier (PDF) of an official, like their scores; the body's table (.xlsx) of
    # every official's months, year score and grade: the head and the personnel officers.
    wrong = []
    for role, user in users.items():
        client = web_client(user)
        dossier = client.get(f"/work/dossier/{world.officer.pk}/2026.pdf").status_code
        table = client.get(f"/work/units/{world.committee.pk}/2026.xlsx").status_code
        for what, status, allowed in (
            ("dossier", dossier, role in SEE_SCORES),
            ("table", table, role in ("head", "personnel")),
        ):
            if status != (200 if allowed else 404):
                wrong.append(f"{role} {what}: {200 if allowed else 404} expected, got {status}")
    assert not wrong, "Score privacy differs:\n  " + "\n  ".join(wrong)


# --- the appeals and dashboard API ------------------------------------------------------------------


def appeal_state() -> tuple:
    return (
        database_state(Appeal),
        list(MonthlyReview.objects.values_list("status", flat=True)),
        ReviewEvent.objects.count(),
        Message.objects.count(),
    )


def test_appeals_api_is_seen_like_the_scores_and_filed_by_the_official_only(world, users):
    finish(world, assign(world, title="Báo cáo quý I"), submitted=datetime.date(2026, 3, 18))
    evaluation.score_month([world.officer], "202603")
    matrix = ApiMatrix(
        "/api/v1/work/appeals/",
        Appeal,
        make=lambda: an_appeal(world),
        # A quarter: the builder's appeals are months, so the official's one never meets a pending one.
        create=lambda: {"period": "2026Q1", "reason": "Quý I chấm thiếu"},
        update={"status": "accepted", "answer": "Tự chấp nhận"},
    )
    expected = {role: set(READ) for role in SEE_SCORES}
    expected["official"].add("create")
    matrix.check(users, expected)


def test_only_the_head_decides_an_appeal_through_the_api_and_a_refusal_changes_nothing(world, users):
    wrong = []
    for role, user in users.items():
        appeal = an_appeal(world)
        before = appeal_state()
        answer = api_client(user).post(
            f"/api/v1/work/appeals/{appeal.pk}/decide/", {"outcome": "reject", "answer": "Đúng quy định"}, format="json"
        )
        if role == "head":
            if answer.status_code != 200 or Appeal.objects.get(pk=appeal.pk).status != "rejected":
                wrong.append(f"{role}: 200 expected, got {answer.status_code}")
            continue
        # Who sees the appeal is told no (403); who holds the role's permission but not the official's scores
        # learns nothing of it (404); a role without it is refused outright (403); anonymous logs in.
        if user is None:
            refused: tuple[int, ...] = (401, 403)
        elif role in SEE_SCORES or not user.has_perm("work.view_appeal"):
            refused = (403,)
        else:
            refused = (404,)
        if answer.status_code not in refused or appeal_state() != before:
            wrong.append(f"{role}: {refused} expected with nothing changed, got {answer.status_code}")
    assert not wrong, "Deciding differs:\n  " + "\n  ".join(wrong)


def test_the_dashboard_api_shows_a_body_to_whoever_sees_its_work_and_its_grades_to_its_head_and_personnel(world, users):
    an_item(world)
    readers = (*ROLE_READERS, "official", "manager", "head", "personnel", "colleague")
    wrong = []
    for role, user in users.items():
        client = api_client(user)
        top = client.get("/api/v1/work/dashboard/", {"year": "2026"})
        body = client.get(f"/api/v1/work/dashboard/{world.committee.pk}/", {"year": "2026"})
        rows = {r["organisation"]: r for r in top.json().get("rows", [])} if top.status_code == 200 else {}
        row = rows.get(world.committee.pk)
        if (row is not None) != (role in readers):
            wrong.append(
                f"{role} dashboard: {'the body' if role in readers else 'no body'} expected, got {top.status_code}"
            )
        if (body.status_code == 200) != (role in readers):
            wrong.append(f"{role} body: {'200' if role in readers else 'refused'} expected, got {body.status_code}")
        if row is not None and (row["grades"] is not None) != (role in ("head", "personnel")):
            wrong.append(f"{role}: the grades are for the head and personnel officers only")
        if body.status_code == 200:
            seen = {r["staff"]: r["sees_scores"] for r in body.json()["rows"]}
            if seen.get(world.officer.pk) != (role in SEE_SCORES):
                wrong.append(f"{role}: the official's scores {'hidden' if role in SEE_SCORES else 'shown'}")
    assert not wrong, "Dashboard privacy differs:\n  " + "\n  ".join(wrong)


def test_only_the_head_approves_a_month_or_decides_a_grade_through_the_api(world, users):
    from decimal import Decimal

    from tinhso.work.models import YearGrade

    from .test_workflow import complete

    finish(world, assign(world, title="Báo cáo tháng 3"), submitted=datetime.date(2026, 3, 18))
    evaluation.score_month([world.officer], "202603")
    complete(world, MonthlyReview.objects.get(staff=world.officer, period="202603"))
    YearGrade.objects.create(staff=world.officer, year=2026, score=Decimal("85"), months=12, grade="good")

    def state():
        return (
            list(MonthlyReview.objects.values_list("status", flat=True)),
            database_state(YearGrade),
            ReviewEvent.objects.count(),
        )

    wrong = []
    # The head goes last: what the others tried first must still be there to be done.
    for role, user in sorted(users.items(), key=lambda pair: pair[0] == "head"):
        client = api_client(user)
        for what, url, data in (
            ("approve", "/api/v1/evaluations/approve/", {"person": world.officer.user_id, "period": "2026-03"}),
            ("grade", "/api/v1/evaluations/grade/", {"person": world.officer.user_id, "year": 2026, "grade": "done"}),
        ):
            before = state()
            answer = client.post(url, data, format="json")
            if role == "head":
                if answer.status_code != 200:
                    wrong.append(f"head {what}: 200 expected, got {answer.status_code} {answer.content[:200]}")
                continue
            refused = review_refusal(role, user)
            if answer.status_code not in refused or state() != before:
                wrong.append(f"{role} {what}: {refused} with nothing changed expected, got {answer.status_code}")
    assert not wrong, "Approving and grading differ:\n  " + "\n  ".join(wrong)
