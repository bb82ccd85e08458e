"""The home page answers "what is on the radio today" for an officer, "what did the loudspeakers say" for a citizen."""

import datetime
import re

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tinhso.core.testing import web_client
from tinhso.radio.choices import BulletinStatus
from tinhso.radio.home import CitizenBulletinAudioView
from tinhso.radio.models import Bulletin, SpeakerCluster

AIRED = BulletinStatus.FINISHED


def figure(page: str, name: str) -> int:
    return int(re.search(rf'data-figure="{name}">(\d+)<', page).group(1))


def bulletin(unit, title, status, *, send_at=None, broadcast_at=None, targets=(), clusters=()):
    made = Bulletin.objects.create(
        unit=unit, title=title, text=f"Nội dung {title}", status=status, send_at=send_at, broadcast_at=broadcast_at
    )
    made.target_units.set(targets)
    made.target_clusters.set(clusters)
    return made


def home(user) -> str:
    return web_client(user).get(reverse("core:home")).content.decode()


def test_an_officer_sees_the_bulletins_scheduled_today_and_the_clusters_offline(radio):
    tree, now = radio.tree, timezone.now()
    bulletin(tree.new_xuan_ai, "Lịch tiêm chủng", BulletinStatus.SCHEDULED, send_at=now, targets=[tree.new_xuan_ai])
    bulletin(tree.new_xuan_ai, "Tuần sau", BulletinStatus.SCHEDULED, send_at=now + datetime.timedelta(days=7))
    bulletin(tree.new_khanh_hoa, "Xã khác", BulletinStatus.SCHEDULED, send_at=now)
    SpeakerCluster.objects.filter(pk=radio.khe_dua_1.pk).update(is_online=True, last_seen_at=now)

    page = home(radio.officer)

    assert figure(page, "bulletins_today") == 1
    assert "Lịch tiêm chủng" in page and "Xã khác" not in page
    assert figure(page, "clusters_offline") == 2  # Khe Dứa 2 and the commune centre; Khánh Hòa is not theirs
    assert "Cụm loa Khe Dứa 2" in page and "Cụm loa Khánh Hòa" not in page


def test_an_officer_with_nothing_today_reads_a_clear_empty_state(radio):
    page = home(radio.officer)

    assert figure(page, "bulletins_today") == 0
    assert "Không có bản tin nào phát hôm nay" in page


def test_a_citizen_sees_the_bulletins_that_went_on_air_in_their_commune_never_drafts(radio):
    tree, now = radio.tree, timezone.now()
    bulletin(tree.new_xuan_ai, "Thông báo họp thôn", AIRED, broadcast_at=now, clusters=[radio.khe_dua_1])
    bulletin(tree.lao_cai, "Cảnh báo mưa lũ", AIRED, broadcast_at=now, targets=[tree.lao_cai])
    bulletin(tree.new_xuan_ai, "Bản nháp", BulletinStatus.DRAFT, targets=[tree.new_xuan_ai])
    bulletin(tree.new_khanh_hoa, "Tin Khánh Hòa", AIRED, broadcast_at=now, targets=[tree.new_khanh_hoa])

    page = home(radio.citizen)

    assert "Thông báo họp thôn" in page and "Cảnh báo mưa lũ" in page
    assert "Bản nháp" not in page and "Tin Khánh Hòa" not in page
    assert "Nội dung Thông báo họp thôn" in page  # read when there is no audio to play


def test_a_citizen_with_no_bulletin_yet_reads_a_clear_empty_state(radio):
    assert "Chưa có bản tin nào được phát" in home(radio.citizen)


def test_the_home_page_costs_a_bounded_number_of_queries(radio, django_assert_max_num_queries):
    tree, now = radio.tree, timezone.now()
    for number in range(12):
        bulletin(tree.new_xuan_ai, f"Tin {number}", BulletinStatus.SCHEDULED, send_at=now, targets=[tree.new_xuan_ai])
        bulletin(tree.new_xuan_ai, f"Đã phát {number}", AIRED, broadcast_at=now, targets=[tree.new_xuan_ai])
    for user in (radio.officer, radio.citizen, radio.village_head):
        client = web_client(user)
        with django_assert_max_num_queries(30):
            assert client.get(reverse("core:home")).status_code == 200


def test_a_citizen_cannot_fetch_the_audio_of_a_draft_or_of_another_commune(radio, rf):
    tree = radio.tree
    draft = bulletin(tree.new_xuan_ai, "Bản nháp", BulletinStatus.DRAFT, targets=[tree.new_xuan_ai])
    elsewhere = bulletin(
        tree.new_khanh_hoa, "Khánh Hòa", AIRED, broadcast_at=timezone.now(), targets=[tree.new_khanh_hoa]
    )
    Bulletin.objects.filter(pk__in=[draft.pk, elsewhere.pk]).update(audio_sha256="a" * 64)
    for hidden in (draft, elsewhere):
        request = rf.get("/")
        request.user = radio.citizen
        with pytest.raises(Http404):
            CitizenBulletinAudioView.as_view()(request, pk=hidden.pk)
