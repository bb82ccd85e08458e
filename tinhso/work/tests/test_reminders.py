"""Reminders before the due date and on overdue go through core's notifications, once each."""

import datetime

import pytest

from tinhso.core.models.notifications import Message
from tinhso.work.reminders import due_reminders

from .conftest import assign, finish

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 18)


def test_the_officer_is_reminded_of_work_due_soon_and_of_overdue_work_once(world):
    assign(world, due=datetime.date(2026, 3, 20), title="Sắp đến hạn")
    assign(world, due=datetime.date(2026, 3, 10), title="Đã quá hạn")
    assign(world, due=datetime.date(2026, 3, 31), title="Còn xa")
    finish(world, assign(world, due=datetime.date(2026, 3, 19), title="Đã xong"))
    due_reminders(TODAY)
    due_reminders(TODAY)
    messages = Message.objects.filter(recipient=world.officer.user).order_by("kind")
    assert [(m.kind, m.urgent) for m in messages] == [("work.due_soon", False), ("work.overdue", True)]
    assert "Đã quá hạn" in messages[1].subject
    due_reminders(TODAY + datetime.timedelta(days=1))
    assert Message.objects.filter(recipient=world.officer.user, kind="work.overdue").count() == 2
