"""A live round's question pictures: the room's screen shows the open question's picture, and so do the phones
once the host has opened it; before that no player can load it, not even by guessing its address. The host
may load any of the round's pictures (to prepare the room)."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from tinhso.accounts.testing import make_user
from tinhso.core.testing import api_client, web_client
from tinhso.learning.live_views import ticket_for
from tinhso.learning.models import LiveRound, Question

from .test_live import host, join, live, page  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media", "pictures")]


@pytest.fixture
def pictures(host):  # noqa: F811
    """Every question of the bank carries a picture, captioned after its text."""
    for number, question in enumerate(Question.objects.all(), start=1):
        raw = BytesIO()
        Image.new("RGB", (400 + number, 300), "orange").save(raw, "JPEG")
        question.image_caption = f"Ảnh câu {question.pk}"
        question.image.save("q.jpg", ContentFile(raw.getvalue(), name="q.jpg"))


def image_url(live, index):  # noqa: F811
    return f"/learning/live/{live.pk}/questions/{index}/image/"


def advance(client, live):  # noqa: F811
    assert client.post(f"/learning/live/{live.pk}/host/", {"next": ""}).status_code == 302
    live.refresh_from_db()


def test_the_room_and_the_phones_show_the_picture_once_the_host_opens_the_question(host, live, tree):  # noqa: F811
    hosting = web_client(host)
    player = make_user("citizen", tree.new_khe_dua)
    phone = join(player, live)
    assert "question-image" not in page(phone, live)
    assert [phone.get(image_url(live, i)).status_code for i in (0, 1)] == [404, 404]  # nothing before it opens
    assert [hosting.get(image_url(live, i)).status_code for i in (0, 1)] == [200, 200]  # the host prepares

    advance(hosting, live)
    first = Question.objects.get(pk=live.questions[0]["id"])
    tag = f'src="{image_url(live, 0)}" width="{first.image_width}" height="300" alt="Ảnh câu {first.pk}"'
    assert tag in page(phone, live, htmx=True)
    assert tag in hosting.get(f"/learning/live/{live.pk}/host/", headers={"HX-Request": "true"}).content.decode()
    assert image_url(live, 1) not in page(phone, live, htmx=True)
    assert phone.get(image_url(live, 0)).status_code == 200
    assert phone.get(image_url(live, 1)).status_code == 404  # the next question's picture stays hidden

    advance(hosting, live)  # closed: the answer shows, the picture stays
    assert tag in page(phone, live, htmx=True)
    advance(hosting, live)  # the second question opens
    assert [phone.get(image_url(live, i)).status_code for i in (0, 1, 2)] == [200, 200, 404]


def test_only_a_player_who_joined_or_the_host_may_load_a_picture(host, live, tree):  # noqa: F811
    advance(web_client(host), live)
    stranger = make_user("citizen", tree.new_khe_dua)  # logged in, never typed the PIN
    assert web_client(stranger).get(image_url(live, 0)).status_code == 404
    other_officer = make_user("commune_officer", tree.new_khanh_hoa)  # manages another commune
    assert web_client(other_officer).get(image_url(live, 0)).status_code == 404
    assert web_client().get(image_url(live, 0)).status_code == 302  # to the login page
    ticket = ticket_for(live, stranger)  # an app that joined through the API sends its ticket
    assert web_client(stranger).get(f"{image_url(live, 0)}?ticket={ticket}").status_code == 200
    assert web_client(stranger).get(f"{image_url(live, 1)}?ticket={ticket}").status_code == 404


def test_the_live_state_api_gives_the_picture_of_the_open_question(host, live, tree):  # noqa: F811
    player = make_user("citizen", tree.new_khe_dua)
    api = api_client(player)
    ticket = api.post("/api/v1/live/join/", {"pin": live.pin}, format="json").json()["ticket"]
    assert api.get(f"/api/v1/live/{live.pk}/state/?ticket={ticket}").json()["question"] is None
    advance(web_client(host), live)
    image = api.get(f"/api/v1/live/{live.pk}/state/?ticket={ticket}").json()["question"]["image"]
    first = Question.objects.get(pk=LiveRound.objects.get().questions[0]["id"])
    assert image == {"url": image_url(live, 0), "width": first.image_width, "height": 300, "alt": f"Ảnh câu {first.pk}"}
