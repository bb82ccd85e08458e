"""A cancel while the bridge stores the same bulletin's play reports: two concurrent transactions on
PostgreSQL. Before, the bridge's transaction held a delivery row and then wanted the bulletin (to finish it)
while cancel held the bulletin and wanted that delivery: PostgreSQL killed one as a deadlock (a 500)."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tinhso.radio import services
from tinhso.radio.choices import DeliveryState
from tinhso.radio.models import Bulletin, Delivery, PlayEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_cancel_during_the_bridges_batch_waits_for_it_instead_of_deadlocking(radio):
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL only (SQLite has one writer)")
    bulletin = services.create_bulletin(
        actor=radio.officer,
        title="Cảnh báo lũ quét",
        kind="relay",
        stream_url="http://radio.example.vn/canh-bao",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
        targets=[radio.tree.new_khe_dua],
    )
    services.broadcast(bulletin, actor=radio.officer)
    one, two = Delivery.objects.filter(bulletin=bulletin).order_by("pk")
    at = timezone.now().isoformat()
    cancel_started, errors = threading.Event(), []

    def cancel():
        try:
            cancel_started.set()
            services.cancel(Bulletin.objects.get(pk=bulletin.pk), actor=radio.officer)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    canceller = threading.Thread(target=cancel)
    with transaction.atomic():  # the bridge's batch, in two halves with the cancel arriving in between
        services.record_events([(one.cluster.device_id, {"event": "play", "item": one.item, "at": at})])
        canceller.start()
        cancel_started.wait(5)
        canceller.join(1)  # it is waiting for the bridge's locks, not running past them
        assert canceller.is_alive()
        services.record_events(
            [
                (
                    two.cluster.device_id,
                    {"event": "stop", "reason": "finished", "repetition": 1, "item": two.item, "at": at},
                )
            ]
        )
    canceller.join(30)
    assert not errors, errors
    assert Bulletin.objects.get(pk=bulletin.pk).status == "cancelled"
    assert set(Delivery.objects.filter(bulletin=bulletin).values_list("state", flat=True)) <= {
        DeliveryState.CANCELLED,
        DeliveryState.PLAYED,
    }
    assert PlayEvent.objects.filter(bulletin=bulletin).count() == 2
