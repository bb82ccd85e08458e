"""/metrics shows a province's operators what they need to alert on, and only to the monitoring network."""

import datetime

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from tinhso.radio.models import PlaylistOutbox, SpeakerCluster

pytestmark = pytest.mark.django_db


def scrape(**extra) -> str:
    response = Client().get("/metrics", **extra)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_clusters_are_counted_online_offline_and_silent(radio):
    now = timezone.now()
    SpeakerCluster.objects.filter(pk=radio.khe_dua_1.pk).update(is_online=True, last_seen_at=now)
    SpeakerCluster.objects.filter(pk=radio.khe_dua_2.pk).update(
        is_online=True, last_seen_at=now - datetime.timedelta(minutes=10)
    )
    text = scrape()
    assert 'tinhso_radio_clusters{state="online"} 1.0' in text
    assert 'tinhso_radio_clusters{state="silent"} 1.0' in text
    assert 'tinhso_radio_clusters{state="offline"} 2.0' in text


def test_the_outbox_age_is_the_oldest_unpublished_playlist(radio):
    PlaylistOutbox.objects.all().delete()
    PlaylistOutbox.objects.create(cluster=radio.khe_dua_1, created_at=timezone.now() - datetime.timedelta(seconds=90))
    value = next(line for line in scrape().splitlines() if line.startswith("tinhso_radio_outbox_age_seconds "))
    assert 89 <= float(value.split()[1]) < 200


def test_requests_queue_and_jobs_are_exposed(radio):
    Client().get("/livez/")
    text = scrape()
    assert "tinhso_http_requests_total{" in text
    assert "tinhso_queue_depth " in text
    assert "tinhso_http_request_duration_seconds_bucket" in text


def test_metrics_are_hidden_from_other_networks():
    assert Client().get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404


def test_a_monitoring_server_elsewhere_reads_them_with_its_token(radio):
    with override_settings(METRICS_TOKEN="giam-sat-" + "x" * 30):
        assert scrape(REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer giam-sat-" + "x" * 30)
        wrong = Client().get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer sai")
        assert wrong.status_code == 404
