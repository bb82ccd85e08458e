"""A lesson's uploaded image: the course's editor uploads a phone photo, the kept copy is upright, small and
without EXIF under a name nobody can guess, and shows on the lesson page; outsiders cannot upload; files that
are not photos, are cut short or too large are refused in Vietnamese with nothing stored; a new image replaces
the old one (and its file)."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tinhso.accounts.testing import make_user
from tinhso.core.models import ObjectChange
from tinhso.core.testing import web_client
from tinhso.learning import services
from tinhso.learning.models import Course, Lesson

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def lesson(tree):
    course = Course.objects.create(unit=tree.new_xuan_ai, title="Dùng VNeID", pass_percent=0, is_published=True)
    return Lesson.objects.create(course=course, order=1, title="Cài ứng dụng", body="Tải VNeID từ kho ứng dụng.")


def phone_photo(size=(3000, 2000), colour="green", name="IMG_0001.jpg"):
    exif = Image.Exif()
    exif[0x0110] = "Phone X"  # model
    exif[0x8825] = {2: (21.0, 37.0, 2.4564), 4: (104.0, 36.0, 24.74)}  # the GPS point
    raw = BytesIO()
    Image.new("RGB", size, colour).save(raw, "JPEG", exif=exif)
    return SimpleUploadedFile(name, raw.getvalue(), content_type="image/jpeg")


def form(lesson, **extra):
    return {"order": lesson.order, "title": lesson.title, "body": lesson.body, **extra}


def stored_files(media):
    return sorted(p for p in media.rglob("*") if p.is_file())


def test_the_editor_uploads_an_image_that_shows_on_the_lesson_page_without_exif(lesson, officer, media, tree):
    client = web_client(officer)
    edit = f"/learning/lessons/{lesson.pk}/edit/"
    assert 'type="file"' in client.get(edit).content.decode()
    response = client.post(edit, form(lesson, image=phone_photo(), image_caption="Màn hình cài đặt"))
    assert response.status_code == 302
    lesson.refresh_from_db()
    stem = lesson.image.name.rsplit("/", 1)[-1].removesuffix(".jpg")
    assert lesson.image.name.startswith("learning/lessons/") and len(stem) == 32 and "lesson" not in stem  # random
    stored = Image.open(lesson.image.path)
    assert stored.format == "JPEG" and stored.size == (1280, 853) and not stored.getexif()
    assert (lesson.image_width, lesson.image_height) == (1280, 853)

    learner = web_client(make_user("citizen", tree.new_khe_dua))
    page = learner.get(f"/learning/lessons/{lesson.pk}/").content.decode()
    src = f"/learning/lessons/{lesson.pk}/image/?v={lesson.image_version}"
    assert f'src="{src}" width="1280" height="853" alt="Màn hình cài đặt" loading="lazy"' in page
    picture = learner.get(src)
    assert picture.status_code == 200 and picture["Content-Type"] == "image/jpeg"
    assert b"Phone X" not in b"".join(picture.streaming_content)


def test_without_a_caption_the_alt_text_is_the_lesson_title_and_the_link_stays_an_alternative(lesson, officer):
    client = web_client(officer)
    client.post(f"/learning/lessons/{lesson.pk}/edit/", form(lesson, image_url="https://example.vn/a.png"))
    page = client.get(f"/learning/lessons/{lesson.pk}/").content.decode()
    assert 'src="https://example.vn/a.png" alt="Cài ứng dụng" loading="lazy"' in page
    client.post(f"/learning/lessons/{lesson.pk}/edit/", form(lesson, image=phone_photo(), image_url=""))
    page = client.get(f"/learning/lessons/{lesson.pk}/").content.decode()
    assert 'alt="Cài ứng dụng"' in page and f"/learning/lessons/{lesson.pk}/image/" in page


def test_someone_outside_the_course_units_cannot_upload_or_see_the_image(lesson, officer, media, tree):
    other_officer = web_client(make_user("commune_officer", tree.new_khanh_hoa))
    edit = f"/learning/lessons/{lesson.pk}/edit/"
    assert other_officer.post(edit, form(lesson, image=phone_photo())).status_code == 404
    citizen = web_client(make_user("citizen", tree.new_khe_dua))
    assert citizen.post(edit, form(lesson, image=phone_photo())).status_code == 403
    assert not Lesson.objects.get().image and stored_files(media) == []

    web_client(officer).post(edit, form(lesson, image=phone_photo()))
    Course.objects.update(is_published=False)  # a draft: only its managers read it
    assert citizen.get(f"/learning/lessons/{lesson.pk}/image/").status_code == 404
    assert web_client(officer).get(f"/learning/lessons/{lesson.pk}/image/").status_code == 200


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("bai-giang.jpg", b"Day khong phai la anh.\n" * 50, "image/jpeg"),
            "Tệp này không phải là ảnh.",
        ),
        ("truncated", "Tệp này không phải là ảnh."),
        ("large", "Ảnh lớn hơn 10 MB."),
    ],
)
def test_a_file_that_is_not_a_usable_photo_is_refused_in_vietnamese_and_nothing_is_stored(
    lesson, officer, media, upload, message
):
    if upload == "truncated":
        from tinhso.core.documents import weasyprint_html

        weasyprint_html()  # a PDF made earlier in the same process must not let a cut photo through
        whole = phone_photo(size=(800, 600)).read()
        upload = SimpleUploadedFile("cut.jpg", whole[: len(whole) // 2], "image/jpeg")
    elif upload == "large":
        upload = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"\0" * services.LESSON_IMAGE_MAX_BYTES, "image/jpeg")
    response = web_client(officer).post(
        f"/learning/lessons/{lesson.pk}/edit/", form(lesson, title="Đổi tên", image=upload)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    lesson.refresh_from_db()
    assert lesson.title == "Cài ứng dụng" and not lesson.image and stored_files(media) == []


def test_a_new_image_replaces_the_old_one_and_its_file_and_it_can_be_removed(
    lesson, officer, media, django_capture_on_commit_callbacks
):
    client = web_client(officer)
    edit = f"/learning/lessons/{lesson.pk}/edit/"
    client.post(edit, form(lesson, image=phone_photo(colour="green")))
    lesson.refresh_from_db()
    first, first_version = lesson.image.name, lesson.image_version
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, form(lesson, image=phone_photo(size=(600, 900), colour="red")))
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.image.name != first and lesson.image_version != first_version
    assert (lesson.image_width, lesson.image_height) == (600, 900)
    assert Image.open(lesson.image.path).getpixel((10, 10))[0] > 200  # red
    assert stored_files(media) == [media / lesson.image.name]

    assert 'name="remove_image"' in client.get(edit).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, form(lesson, remove_image="on"))
    lesson.refresh_from_db()
    assert not lesson.image and lesson.image_width is None and stored_files(media) == []
    assert client.get(f"/learning/lessons/{lesson.pk}/image/").status_code == 404
    changes = ObjectChange.objects.filter(object_id=lesson.pk, object_type__model="lesson", user=officer)
    assert [c.postchange_data["image"] != c.prechange_data["image"] for c in changes.order_by("pk")] == [True] * 3
