"""Electronic bulletin boards: a TV shows the bulletins on air for the board's unit, with a red emergency
banner that appears when an emergency is broadcast and goes when it is cancelled."""

import datetime

from django.urls import reverse
from django.utils import timezone

from tinhso.core.context import acting_as
from tinhso.core.testing import web_client
from tinhso.radio import services
from tinhso.radio.models import Board

BANNER = 'class="emergency" role="alert"'


def make_board(unit, name="Bảng tin điện tử UBND xã"):
    with acting_as(None, source="test"):
        return services.create_board(actor=None, unit=unit, name=name)


def send(user, unit, title, level="normal", **extra):
    fields = {
        "title": title,
        "text": "Đề nghị bà con chú ý theo dõi.",
        "kind": "relay",
        "stream_url": "http://radio.example.vn/vov1",
        "expires_at": timezone.now() + datetime.timedelta(hours=2),
        "targets": [unit],
        "level": level,
    }
    return services.send_now(actor=user, **{**fields, **extra})


def screen(board, live=False):
    name = "radio:board_screen_live" if live else "radio:board_screen"
    return web_client().get(reverse(name, args=[board.slug]))


def test_the_screen_opens_without_login_and_stays_out_of_search_engines(radio):
    board = make_board(radio.tree.new_xuan_ai)

    response = screen(board)

    assert response.status_code == 200
    assert board.name in response.text
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_wrong_slug_shows_nothing(radio):
    make_board(radio.tree.new_xuan_ai)

    assert web_client().get(reverse("radio:board_screen", args=["doan-mo"])).status_code == 404


def test_the_screen_polls_a_small_fragment_every_two_seconds(radio):
    board = make_board(radio.tree.new_xuan_ai)

    page = screen(board).text

    assert f'hx-get="{reverse("radio:board_screen_live", args=[board.slug])}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert "<html" not in screen(board, live=True).text


def test_the_emergency_banner_appears_after_broadcast_and_goes_after_cancel(radio):
    board = make_board(radio.tree.new_xuan_ai)
    assert BANNER not in screen(board, live=True).text

    emergency = send(radio.officer, radio.tree.new_xuan_ai, "Lũ quét trên suối Ngòi Thia", level="emergency")
    shown = screen(board, live=True).text

    assert BANNER in shown
    assert "Khẩn cấp" in shown  # a TV has no account: the board speaks the platform's language, Vietnamese
    assert "Lũ quét trên suối Ngòi Thia" in shown

    services.cancel(emergency, actor=radio.officer)
    after = screen(board, live=True).text

    assert BANNER not in after
    assert "Lũ quét trên suối Ngòi Thia" not in after


def test_the_board_shows_bulletins_for_its_villages_and_for_the_whole_province(radio):
    board = make_board(radio.tree.new_xuan_ai)
    send(radio.village_head, radio.tree.new_khe_dua, "Họp thôn Khe Dứa tối nay")
    send(radio.centre, radio.tree.lao_cai, "Tỉnh thông báo lịch tiêm chủng", level="priority")
    send(radio.centre, radio.tree.new_khanh_hoa, "Khánh Hòa cắt điện")

    shown = screen(board, live=True).text

    assert "Họp thôn Khe Dứa tối nay" in shown
    assert "Tỉnh thông báo lịch tiêm chủng" in shown
    assert "Khánh Hòa cắt điện" not in shown
    assert shown.index("Tỉnh thông báo lịch tiêm chủng") < shown.index("Họp thôn Khe Dứa tối nay")


def test_staff_see_on_the_board_page_what_the_screen_shows(radio):
    board = make_board(radio.tree.new_xuan_ai)
    send(radio.officer, radio.tree.new_xuan_ai, "Lũ quét trên suối Ngòi Thia", level="emergency")

    page = web_client(radio.officer).get(reverse("radio:board_detail", args=[board.pk])).text

    assert "Lũ quét trên suối Ngòi Thia" in page
    assert 'role="alert"' in page


def test_polling_the_screen_costs_a_few_queries_however_many_bulletins(radio, django_assert_max_num_queries):
    board = make_board(radio.tree.new_xuan_ai)
    for number in range(5):
        send(radio.officer, radio.tree.new_xuan_ai, f"Bản tin số {number}")
    url = reverse("radio:board_screen_live", args=[board.slug])
    client = web_client()

    with django_assert_max_num_queries(3):
        shown = client.get(url).text

    assert "Bản tin số 4" in shown


def test_a_bulletin_due_later_is_announced_as_coming_up(radio):
    board = make_board(radio.tree.new_xuan_ai)
    later = timezone.now() + datetime.timedelta(hours=3)
    send(
        radio.officer,
        radio.tree.new_xuan_ai,
        "Tiếp sóng thời sự tối",
        send_at=later,
        expires_at=later + datetime.timedelta(hours=1),
    )

    shown = screen(board, live=True).text

    assert "Sắp phát" in shown
    assert "Tiếp sóng thời sự tối" in shown


def test_staff_see_only_the_boards_of_their_units(radio):
    ours = make_board(radio.tree.new_xuan_ai, "Bảng tin Xuân Ái")
    theirs = make_board(radio.tree.new_khanh_hoa, "Bảng tin Khánh Hòa")
    client = web_client(radio.officer)

    listing = client.get(reverse("radio:board_list")).text

    assert "Bảng tin Xuân Ái" in listing
    assert "Bảng tin Khánh Hòa" not in listing
    assert "Bảng tin Xuân Ái" not in client.get(reverse("radio:board_list"), {"q": "nhà văn hóa"}).text
    assert client.get(reverse("radio:board_detail", args=[theirs.pk])).status_code == 404
    detail = client.get(reverse("radio:board_detail", args=[ours.pk])).text
    assert reverse("radio:board_screen", args=[ours.slug]) in detail


def test_an_officer_adds_a_board_for_their_commune(radio):
    client = web_client(radio.officer)

    response = client.post(
        reverse("radio:board_add"), {"name": "Bảng tin nhà văn hóa", "unit": radio.tree.new_xuan_ai.pk}
    )

    board = Board.objects.get(name="Bảng tin nhà văn hóa")
    assert response.status_code == 302
    assert board.unit == radio.tree.new_xuan_ai
    assert len(board.slug) >= 20


def test_an_officer_cannot_add_a_board_for_another_commune(radio):
    client = web_client(radio.officer)

    response = client.post(reverse("radio:board_add"), {"name": "Bảng tin lạ", "unit": radio.tree.new_khanh_hoa.pk})

    assert response.status_code == 200
    assert not Board.objects.filter(name="Bảng tin lạ").exists()


def test_a_citizen_cannot_open_the_boards_pages(radio):
    make_board(radio.tree.new_xuan_ai, "Bảng tin Xuân Ái")
    client = web_client(radio.citizen)

    assert client.get(reverse("radio:board_add")).status_code == 403
    assert "Bảng tin Xuân Ái" not in client.get(reverse("radio:board_list")).text
