"""A question's picture: uploaded on its edit page the lesson images' way (no EXIF, an unguessable name),
shown in the attempt once started (never before), and readable only by the attempt's participant or the
bank's managers; hostile files are refused in Vietnamese with nothing stored."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tinhso.accounts.testing import make_user
from tinhso.core.testing import api_client, web_client
from tinhso.learning import services
from tinhso.learning.models import Attempt, Question

from .factories import make_contest
from .test_editor import question_form
from .test_lesson_images import phone_photo, stored_files

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def pictured(tree, officer):
    """A one-question contest of Xuân Ái whose question carries a picture uploaded on its edit page."""
    client = web_client(officer)
    form = question_form(tree, image=phone_photo(), image_caption="Màn hình ứng dụng VNeID")
    assert client.post("/learning/bank/new/", form).status_code == 302
    return make_contest(tree.new_xuan_ai, questions=1)


def test_the_upload_is_kept_without_exif_under_an_unguessable_name(pictured, officer, media):
    question = Question.objects.get()
    assert question.image.name.startswith("learning/questions/") and "IMG_0001" not in question.image.name
    kept = Image.open(question.image.path)
    assert max(kept.size) == 1280 and not kept.getexif()
    response = web_client(officer).get(f"/learning/bank/{question.pk}/image/")  # the bank's manager
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_the_picture_shows_only_once_the_attempt_has_started(pictured, tree):
    client = web_client(make_user("citizen", tree.new_xuan_ai))
    before = client.get("/learning/").content.decode()  # the contest, not started
    assert "/image/" not in before and "question-image" not in before
    client.post(f"/learning/contests/{pictured.pk}/start/")
    attempt = Attempt.objects.get()
    page = client.get(f"/learning/attempts/{attempt.pk}/").content.decode()
    question = Question.objects.get()
    url = f"/learning/attempts/{attempt.pk}/questions/{question.pk}/image/"
    assert f'src="{url}"' in page and 'loading="lazy"' in page and 'alt="Màn hình ứng dụng VNeID"' in page
    assert 'width="1280"' in page and 'height="853"' in page
    assert client.get(url).status_code == 200


def test_the_attempt_api_gives_a_url_only_its_participant_may_open(pictured, tree):
    participant = make_user("citizen", tree.new_xuan_ai)
    api = api_client(participant)
    attempt = api.post(f"/api/v1/contests/{pictured.pk}/attempts/").json()
    image = api.get(f"/api/v1/attempts/{attempt['id']}/").json()["questions"][0]["image"]
    assert image["url"].endswith("/image/") and image["alt"] == "Màn hình ứng dụng VNeID"
    assert web_client(participant).get(image["url"]).status_code == 200
    stranger = web_client(make_user("citizen", tree.new_xuan_ai))
    assert stranger.get(image["url"]).status_code == 404
    outsider = web_client(make_user("commune_officer", tree.new_khanh_hoa))
    assert outsider.get(f"/learning/bank/{Question.objects.get().pk}/image/").status_code == 404  # not in its units


def bomb():
    raw = BytesIO()
    Image.new("1", (20000, 20000)).save(raw, "PNG")  # a few kB that decode to 400 million pixels
    return SimpleUploadedFile("bom.png", raw.getvalue(), "image/png")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("cau-hoi.jpg", b"Khong phai anh.\n" * 50, "image/jpeg"), "không phải là ảnh"),
        (
            lambda: SimpleUploadedFile("to.jpg", b"\xff\xd8" + b"\0" * services.LESSON_IMAGE_MAX_BYTES, "image/jpeg"),
            "Ảnh lớn hơn 10 MB.",
        ),
        (bomb, "không phải là ảnh"),  # core refuses a bomb before decoding it
    ],
)
def test_a_hostile_file_is_a_400_in_vietnamese_and_nothing_is_stored(tree, officer, media, upload, message):
    response = web_client(officer).post("/learning/bank/new/", question_form(tree, image=upload()))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Question.objects.exists() and stored_files(media) == []


@pytest.mark.parametrize(("format_name", "left_out"), [("gift", "1"), ("aiken", "1"), ("moodlexml", "0")])
def test_the_export_says_how_many_pictures_it_left_out(pictured, officer, format_name, left_out):
    response = api_client(officer).get(f"/api/v1/questions/export/?format={format_name}")
    assert response.status_code == 200 and "định danh điện tử" in response.content.decode()
    assert response.get("X-Images-Left-Out") == left_out
