import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.models import Delivery, Message, NotificationPreference
from tinhso.core.notifications import notify, register_kind
from tinhso.core.notifications.preferences import set_preferences
from tinhso.core.testing import web_client

register_kind("tests.page_reminder", "Nhắc việc trên trang (thử)")


@pytest.fixture(autouse=True)
def _daytime(settings):
    settings.NOTIFY_QUIET_HOURS = ""
    settings.NOTIFICATION_SENDERS = {
        "email": {"BACKEND": "tinhso.core.notifications.senders.EmailSender"},
        "sms": {"BACKEND": "tinhso.core.notifications.senders.OutboxSender"},
    }


def tell(person, subject="Báo cáo quý I bị trả lại", **fields):
    [message] = notify(person, kind="tests.page_reminder", subject=subject, body="Bổ sung số liệu.", **fields)
    return message


def test_the_header_shows_the_unread_count_and_the_inbox_lists_the_messages(tree):
    person = make_user("commune_officer", tree.xuan_ai, email="a@xuanai.gov.vn")
    tell(person)
    tell(person, subject="Nhiệm vụ quá hạn")
    page = web_client(person).get("/notifications/").content.decode()
    assert "Báo cáo quý I bị trả lại" in page and "Nhiệm vụ quá hạn" in page
    assert 'title="chưa đọc">2</span>' in page
    assert "Nhắc việc trên trang (thử)" in page


def test_opening_a_message_marks_it_read_and_goes_to_its_page(tree):
    person = make_user("commune_officer", tree.xuan_ai)
    message = tell(person, url="/plans/reports/3/")
    response = web_client(person).post(f"/notifications/{message.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/plans/reports/3/"
    assert Message.objects.get(pk=message.pk).read_at is not None


def test_mark_all_read_empties_the_unread_list(tree):
    person = make_user("commune_officer", tree.xuan_ai)
    tell(person)
    tell(person)
    client = web_client(person)
    client.post("/notifications/read-all/")
    assert "Báo cáo quý I" not in client.get("/notifications/?unread=1").content.decode()


def test_nobody_reads_or_marks_another_persons_messages(tree):
    person, neighbour = make_user("commune_officer", tree.xuan_ai), make_user("commune_officer", tree.xuan_ai)
    message = tell(person)
    client = web_client(neighbour)
    assert "Báo cáo quý I" not in client.get("/notifications/").content.decode()
    assert client.post(f"/notifications/{message.pk}/read/").status_code == 404
    assert Message.objects.get(pk=message.pk).read_at is None


def test_a_person_turns_email_off_and_sms_on_for_a_kind(tree):
    person = make_user("commune_officer", tree.xuan_ai, email="a@xuanai.gov.vn", phone="0912345678")
    client = web_client(person)
    assert 'name="tests.page_reminder:email" checked' in client.get("/notifications/preferences/").content.decode()
    client.post("/notifications/preferences/", {"tests.page_reminder:sms": "on"})
    message = tell(person)
    assert set(message.deliveries.values_list("channel", flat=True)) == {"in_app", "sms"}


def test_nobody_changes_another_persons_choices(tree):
    from django.core.exceptions import PermissionDenied

    person, other = make_user("commune_officer", tree.xuan_ai), make_user("commune_officer", tree.xuan_ai)
    with pytest.raises(PermissionDenied):
        set_preferences(person, {("", "email"): False}, actor=other)
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize(
    ("role", "unit_name", "sees"),
    [
        ("province_admin", "lao_cai", {"Xuân Ái", "Khánh Hòa"}),
        ("district_officer", "van_yen", {"Xuân Ái"}),
        ("commune_officer", "xuan_ai", {"Xuân Ái"}),
        ("commune_officer", "khanh_hoa", {"Khánh Hòa"}),
        ("dx_centre_staff", "yen_bai", {"Xuân Ái", "Khánh Hòa"}),
        ("village_team_leader", "khe_dua", None),
        ("citizen", "xuan_ai", None),
    ],
)
def test_the_delivery_log_shows_administrators_the_people_of_their_units(tree, role, unit_name, sees):
    tell(make_user("village_team_leader", tree.khe_dua, email="x@a.vn"), subject="Gửi Xuân Ái")
    tell(make_user("village_team_leader", tree.khuoi_vai, email="k@h.vn"), subject="Gửi Khánh Hòa")
    viewer = make_user(role, getattr(tree, unit_name))
    response = web_client(viewer).get("/notifications/log/")
    if sees is None:
        assert response.status_code == 404
        return
    page = response.content.decode()
    assert {name for name in ("Xuân Ái", "Khánh Hòa") if f"Gửi {name}" in page} == sees


def test_the_delivery_log_filters_by_channel_and_state(tree):
    tell(make_user("village_team_leader", tree.khe_dua, email="x@a.vn"))
    viewer = make_user("commune_officer", tree.xuan_ai)
    client = web_client(viewer)
    assert Delivery.objects.count() == 2
    assert "Báo cáo quý I" in client.get("/notifications/log/?channel=email&state=queued").content.decode()
    assert "Báo cáo quý I" not in client.get("/notifications/log/?channel=sms").content.decode()
    assert client.get("/notifications/log/?state=nonsense").status_code == 200


def test_the_demo_welcomes_every_account_once(tree):
    from tinhso.core.demo import seed_notifications

    person = make_user("commune_officer", tree.xuan_ai)
    seed_notifications()
    seed_notifications()
    [welcome] = Message.objects.filter(recipient=person, kind="core.announcement")
    assert welcome.url == "/notifications/preferences/"


def test_the_inbox_and_the_log_cost_the_same_few_queries_for_many_messages(tree, django_assert_max_num_queries):
    person = make_user("commune_officer", tree.xuan_ai, email="a@xuanai.gov.vn")
    for number in range(40):
        tell(person, subject=f"Thông báo số {number}")
    client = web_client(person)
    with django_assert_max_num_queries(12):
        assert client.get("/notifications/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get("/notifications/log/").status_code == 200
