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

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        Gateway.received.append((json.loads(self.rfile.read(length)), self.headers.get("Authorization", "")))
        status, answer = Gateway.answers.pop(0) if Gateway.answers else (200, {"id": "msg-1"})
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
    Gateway.answers, Gateway.received = [], []
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
