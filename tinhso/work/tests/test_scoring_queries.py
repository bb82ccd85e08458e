"""Scoring a month asks the database the same number of questions for two officials as for twenty:
no lookup per official, per item or per criterion."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tinhso.core.context import acting_as
from tinhso.work import evaluation
from tinhso.work.models import StaffMember

from .conftest import assign, finish, staff

pytestmark = pytest.mark.django_db
MARCH = "202603"
SQLITE_BATCHES = 0 if connection.vendor == "postgresql" else 2


def give_work(world, people):
    with acting_as(None, source="test"):
        for person in people:
            finish(world, assign(world, person, due=datetime.date(2026, 3, 10)), quality="good")
            late = assign(world, person, due=datetime.date(2026, 3, 12))
            finish(world, late, quality="excellent", submitted=datetime.date(2026, 3, 15))
            assign(world, person, due=datetime.date(2026, 3, 20))


def queries_to_score(people) -> int:
    with acting_as(None, source="test"), CaptureQueriesContext(connection) as captured:
        evaluation.score_month(people, MARCH)
    return len(captured.captured_queries)


def test_scoring_more_officials_asks_no_more_queries(world):
    few = [world.officer, world.colleague]
    more = [staff(world.committee, world.tree.xuan_ai, f"canbo{n}", manager=world.deputy) for n in range(18)]
    warm_up = staff(world.committee, world.tree.xuan_ai, "canbo-warm", manager=world.deputy)
    give_work(world, [*few, *more, warm_up])
    # Process-wide caches (content types, the unit snapshot) may be cold or warm depending on the tests
    # run before in this worker: fill them with a first official, so the counts compare the scoring itself.
    queries_to_score([warm_up])

    first_few = queries_to_score(few)
    first_many = queries_to_score([*StaffMember.objects.filter(pk__in=[s.pk for s in more])])
    # SQLite splits a large bulk insert into batches under its bound-variable limit: a cost per batch of a
    # few hundred rows, not per official (PostgreSQL copies the scores in one go).
    assert first_many <= first_few + SQLITE_BATCHES

    # Scoring again (nothing new to create) is bounded the same way.
    assert queries_to_score([*few, *more]) <= queries_to_score(few) + SQLITE_BATCHES
    scored = evaluation.explain_month(more[-1], MARCH)
    assert scored.score is not None and scored.score > 0
