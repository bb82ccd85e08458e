"""Errors reach the operators: mailed to ADMINS, and every log line names its request."""

import json
import logging
import uuid

from django.core import mail
from django.test import override_settings

from tinhso.accounts.testing import make_user
from tinhso.core.context import acting_as
from tinhso.core.logging import JsonFormatter, RequestIdFilter

from .test_jobs import new_job


@override_settings(ADMINS=[("Quản trị", "quantri@tinhso.example")])
def test_a_job_that_breaks_mails_the_administrators_with_the_traceback(tree, django_capture_on_commit_callbacks):
    user = make_user("commune_officer", tree.xuan_ai)
    with django_capture_on_commit_callbacks(execute=True):
        new_job(user, kind="tests.explode")
    reports = [message for message in mail.outbox if message.to == ["quantri@tinhso.example"]]
    assert len(reports) == 1
    assert "tests.explode" in reports[0].subject
    assert "RuntimeError\nboom" in reports[0].body


def test_log_lines_carry_the_request_id():
    record = logging.LogRecord("tinhso", logging.INFO, __file__, 1, "đã lưu", None, None)
    request_id = uuid.uuid4()
    with acting_as(None, request_id=request_id):
        RequestIdFilter().filter(record)
    assert record.request_id == str(request_id)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == str(request_id) and line["message"] == "đã lưu"


def test_outside_a_request_the_id_is_a_dash():
    record = logging.LogRecord("tinhso", logging.INFO, __file__, 1, "x", None, None)
    RequestIdFilter().filter(record)
    assert record.request_id == "-"
