"""Records older than their retention period go in the nightly purge; younger ones, and everything when the
period is 0, stay — even in the append-only play log."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from tinhso.core import retention
from tinhso.core.models.changelog import ObjectChange
from tinhso.core.tasks import purge_expired_records
from tinhso.radio.models import PlayEvent

pytestmark = pytest.mark.django_db


def play(cluster, days_ago: int) -> PlayEvent:
    at = timezone.now() - datetime.timedelta(days=days_ago)
    return PlayEvent.objects.create(cluster=cluster, item="b1-x", event="played", at=at)


@override_settings(PLAY_LOG_RETENTION_DAYS=365)
def test_the_nightly_purge_removes_only_plays_older_than_the_period(radio):
    old, recent = play(radio.khe_dua_1, 400), play(radio.khe_dua_1, 10)
    purge_expired_records()
    assert list(PlayEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not PlayEvent.objects.filter(pk=old.pk).exists()


@override_settings(PLAY_LOG_RETENTION_DAYS=0)
def test_a_period_of_zero_keeps_everything(radio):
    play(radio.khe_dua_1, 4000)
    assert retention.purge(retention.POLICIES["radio.play_log"]) == 0
    assert PlayEvent.objects.count() == 1


@override_settings(CHANGE_LOG_RETENTION_DAYS=30)
def test_the_change_log_has_its_own_period(radio):
    ObjectChange.objects.update(time=timezone.now() - datetime.timedelta(days=31))
    kept_before = ObjectChange.objects.count()
    assert kept_before > 0
    assert retention.purge(retention.POLICIES["core.change_log"]) == kept_before
    assert ObjectChange.objects.count() == 0


def test_the_play_log_still_refuses_ordinary_deletes(radio):
    event = play(radio.khe_dua_1, 1)
    with pytest.raises(TypeError):
        PlayEvent.objects.filter(pk=event.pk).delete()
