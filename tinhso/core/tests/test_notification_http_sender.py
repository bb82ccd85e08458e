"""The HTTP adapter (SMS, Zalo) against a real HTTP server on 127.0.0.1, started by the test."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.models import Delivery
from tinhso.core.notifications import notify, register_kind
from tinhso.core.notifications.dispatch import send_due_deliveries

register_kind("tests.sms_alert", "Cảnh báo qua SMS (thử)", channels=("in_app", "sms"))


class Gateway(BaseHTTPRequestHandler):
    answers: list[tuple[int, dict]] = []
    received: list[tuple[dict, str]] = []
    answer_with = None  # a function of the request's payload giving the answer (batch tests)

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        payload = json.loads(self.rfile.read(length))
        Gateway.received.append((payload, self.headers.get("Authorization", "")))
        if Gateway.answers:
            status, answer = Gateway.answers.pop(0)
        elif Gateway.answer_with:
            status, answer = 200, Gateway.answer_with(payload)
        elif "messages" in payload:
            status, answer = (
                200,
                {"results": [{"reference": m["reference"], "id": "msg-1"} for m in payload["messages"]]},
            )
        else:
            status, answer = 200, {"id": "msg-1"}
        body = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Gateway.answers, Gateway.received, Gateway.answer_with = [], [], None
    settings.NOTIFY_QUIET_HOURS = ""
    settings.NOTIFICATION_SENDERS = {
        "sms": {
            "BACKEND": "tinhso.core.notifications.senders.HttpSender",
            "URL": f"http://127.0.0.1:{server.server_port}/send",
            "TOKEN": "bi-mat",
            "TIMEOUT": 5,
        }
    }
    yield Gateway
    server.shutdown()
    server.server_close()
    thread.join()


def send_alert(tree, capture):
    person = make_user("commune_officer", tree.xuan_ai, phone="0912345678")
    with capture(execute=True):
        [message] = notify(
            person, kind="tests.sms_alert", subject="Mưa lớn", body="Sơ tán khỏi bờ suối.", url="/radio/", urgent=True
        )
    return Delivery.objects.get(message=message, channel="sms")


def test_the_gateway_receives_the_text_the_number_and_the_token(tree, gateway, django_capture_on_commit_callbacks):
    sms = send_alert(tree, django_capture_on_commit_callbacks)
    [(payload, authorization)] = gateway.received
    assert authorization == "Bearer bi-mat"
    assert payload["to"] == "+84912345678" and payload["channel"] == "sms"
    assert payload["text"].startswith("Mưa lớn — Sơ tán khỏi bờ suối.") and payload["text"].endswith("/radio/")
    assert (sms.state, sms.provider_reference, sms.attempts) == ("sent", "msg-1", 1)


def test_a_busy_gateway_is_tried_again(tree, gateway, django_capture_on_commit_callbacks):
    gateway.answers = [(503, {"error": "busy"})]
    sms = send_alert(tree, django_capture_on_commit_callbacks)
    assert sms.state == "queued" and sms.last_error.startswith("HTTP 503")
    send_due_deliveries(now=sms.not_before)
    sms.refresh_from_db()
    assert (sms.state, sms.attempts, len(gateway.received)) == ("sent", 2, 2)


def test_a_refused_number_is_not_tried_again(tree, gateway, django_capture_on_commit_callbacks):
    gateway.answers = [(400, {"error": "invalid number"})]
    sms = send_alert(tree, django_capture_on_commit_callbacks)
    assert sms.state == "failed" and "invalid number" in sms.last_error


def test_an_unreachable_gateway_is_a_failure_to_retry(tree, settings, django_capture_on_commit_callbacks):
    settings.NOTIFY_QUIET_HOURS = ""
    settings.NOTIFICATION_SENDERS = {
        "sms": {"BACKEND": "tinhso.core.notifications.senders.HttpSender", "URL": "http://127.0.0.1:9/", "TIMEOUT": 2}
    }
    sms = send_alert(tree, django_capture_on_commit_callbacks)
    assert (sms.state, sms.attempts) == ("queued", 1) and sms.last_error


# --- a gateway that takes lists (BATCH > 1): one request for many messages, one result each ---------------


@pytest.fixture
def batch_gateway(gateway, settings):
    settings.NOTIFICATION_SENDERS = {"sms": {**settings.NOTIFICATION_SENDERS["sms"], "BATCH": 50}}
    return gateway


def alert_many(tree, capture, count):
    people = [make_user("commune_officer", tree.xuan_ai, phone=f"09123450{n:02d}") for n in range(count)]
    with capture(execute=True):
        messages = notify(people, kind="tests.sms_alert", subject="Mưa lớn", body="Sơ tán.", url="/radio/", urgent=True)
    return list(Delivery.objects.filter(message__in=messages, channel="sms").order_by("pk"))


def test_a_batch_gateway_gets_the_messages_in_lists_and_each_keeps_its_own_outcome(
    tree, batch_gateway, django_capture_on_commit_callbacks
):
    def answer_each(payload):
        results = []
        for index, item in enumerate(payload["messages"]):
            if index == 1:
                results.append({"reference": item["reference"], "error": "số không tồn tại", "status": 400})
            elif index == 2:
                results.append({"reference": item["reference"], "error": "nhà mạng bận", "status": 503})
            elif index == 3:
                continue  # no result for this one
            else:
                results.append({"reference": item["reference"], "id": f"zns-{item['reference']}"})
        return {"results": results}

    batch_gateway.answer_with = answer_each
    deliveries = alert_many(tree, django_capture_on_commit_callbacks, 60)
    assert [len(payload["messages"]) for payload, _ in batch_gateway.received] == [50, 10]
    assert {payload["messages"][0]["to"] for payload, _ in batch_gateway.received} <= {d.address for d in deliveries}
    for sms in deliveries:
        sms.refresh_from_db()
    first, refused, busy, unanswered = deliveries[:4]
    assert (first.state, first.provider_reference, first.attempts) == ("sent", f"zns-{first.pk}", 1)
    assert refused.state == "failed" and "không tồn tại" in refused.last_error  # refused for good
    assert busy.state == "queued" and busy.not_before and "bận" in busy.last_error  # tried again later
    assert unanswered.state == "queued" and unanswered.not_before
    assert sum(sms.state == "sent" for sms in deliveries) == 60 - 2 * 3  # two requests, three failures each

    batch_gateway.answer_with = None
    later = max(sms.not_before for sms in deliveries if sms.not_before)
    send_due_deliveries(now=later)
    states = {sms.pk: sms.state for sms in Delivery.objects.filter(pk__in=[d.pk for d in deliveries])}
    assert sorted(states.values()).count("sent") == 58 and states[refused.pk] == "failed"
    assert Delivery.objects.get(pk=busy.pk).attempts == 2


def test_a_batch_request_the_gateway_cannot_take_now_is_retried_for_every_message(
    tree, batch_gateway, django_capture_on_commit_callbacks
):
    batch_gateway.answers = [(503, {"error": "busy"})]
    deliveries = alert_many(tree, django_capture_on_commit_callbacks, 3)
    assert len(batch_gateway.received) == 1
    assert {(sms.state, sms.attempts) for sms in Delivery.objects.filter(pk__in=[d.pk for d in deliveries])} == {
        ("queued", 1)
    }


def test_the_worker_sends_a_notice_to_many_in_a_few_statements(tree, settings, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tinhso.core.models.notifications import DeliveryState
    from tinhso.core.notifications.dispatch import send_deliveries

    settings.NOTIFY_QUIET_HOURS = ""
    settings.NOTIFICATION_SENDERS = {"sms": {"BACKEND": "tinhso.core.notifications.senders.OutboxSender"}}

    def statements(count):
        people = [make_user("commune_officer", tree.xuan_ai, phone=f"0912{count:02d}45{n:02d}") for n in range(count)]
        with django_capture_on_commit_callbacks(execute=False):
            messages = notify(people, kind="tests.sms_alert", subject="Mưa lớn", body="Sơ tán.", urgent=True)
        ids = list(Delivery.objects.filter(message__in=messages, channel="sms").values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as queries:
            send_deliveries(ids)
        assert set(Delivery.objects.filter(pk__in=ids).values_list("state", flat=True)) == {DeliveryState.SENT}
        return len(queries)

    assert statements(60) == statements(5)
