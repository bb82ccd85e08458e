"""Moodle XML carries a question's picture the way Moodle writes it (an <img src="@@PLUGINFILE@@/…"> in the
question text, a base64 <file> beside it): our export writes it and reads back the same picture and caption; a
file made by Moodle imports its picture checked as an upload is; a bad picture names its line and imports
nothing, and leaves no file behind."""

import base64
import os
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from PIL import Image

from tinhso.core.testing import api_client, web_client
from tinhso.learning import formats, services
from tinhso.learning.models import Question

from .test_editor import question_form
from .test_lesson_images import phone_photo, stored_files

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def png(size=(640, 480), colour="blue") -> bytes:
    raw = BytesIO()
    Image.new("RGB", size, colour).save(raw, "PNG")
    return raw.getvalue()


def moodle_file(data: bytes | str | None, *, name="so-do.png", reference="so-do.png", alt="Sơ đồ các bước") -> str:
    """A question as Moodle 4 writes it, its picture as a file of the question text."""
    payload = data if isinstance(data, str) else base64.b64encode(data or b"").decode()
    file = f'<file name="{name}" path="/" encoding="base64">{payload}</file>' if data is not None else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="truefalse">
    <name><text>Sơ đồ</text></name>
    <questiontext format="html">
      <text><![CDATA[<p dir="ltr">Sơ đồ này đúng các bước đăng ký VNeID?</p>
<p><img src="@@PLUGINFILE@@/{reference}" alt="{alt}" width="640" height="480" class="img-fluid"></p>]]></text>
{file}
    </questiontext>
    <answer fraction="100" format="moodle_auto_format"><text>true</text></answer>
    <answer fraction="0" format="moodle_auto_format"><text>false</text></answer>
  </question>
</quiz>
"""


def upload(client, text, **extra):
    file = SimpleUploadedFile("bank.xml", text.encode(), content_type="application/xml")
    return client.post("/api/v1/questions/import/", {"file": file, "format": "moodlexml", **extra}, format="multipart")


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.fixture
def pictured(tree, officer):
    """A question of Xuân Ái's bank with a phone photo uploaded on its page."""
    form = question_form(tree, image=phone_photo(), image_caption="Màn hình ứng dụng VNeID")
    assert web_client(officer).post("/learning/bank/new/", form).status_code == 302
    return Question.objects.get()


def test_the_upload_keeps_the_size_in_the_database_so_a_list_opens_no_file(pictured):
    # Without it every question read from the database opened its picture to measure it (and failed when gone).
    assert list(Question.objects.values_list("image_width", "image_height")) == [(1280, 853)]


def test_the_export_carries_the_picture_and_reads_back_the_same(pictured, officer, media):
    client = api_client(officer)
    response = client.get("/api/v1/questions/export/?format=moodlexml")
    assert response["X-Images-Left-Out"] == "0"
    exported = response.content.decode()
    assert 'alt="Màn hình ứng dụng VNeID"' in exported and "@@PLUGINFILE@@/" in exported
    assert 'path="/" encoding="base64"' in exported

    assert upload(client, exported).json() == {"imported": 1, "dryRun": False, "errors": []}
    copy = Question.objects.exclude(pk=pictured.pk).get()
    assert copy.text == pictured.text and copy.image_caption == "Màn hình ứng dụng VNeID"
    assert (copy.image_width, copy.image_height) == (pictured.image_width, pictured.image_height) == (1280, 853)
    assert copy.image.name != pictured.image.name and copy.image.name.startswith("learning/questions/")
    assert Image.open(copy.image.path).size == (1280, 853)
    assert web_client(officer).get(f"/learning/bank/{copy.pk}/image/").status_code == 200


@pytest.mark.parametrize("format_name", ["gift", "aiken"])
def test_plain_text_formats_still_say_they_left_the_picture_out(pictured, officer, format_name):
    response = api_client(officer).get(f"/api/v1/questions/export/?format={format_name}")
    assert response["X-Images-Left-Out"] == "1" and "PLUGINFILE" not in response.content.decode()


def test_a_picture_whose_file_is_gone_is_counted_as_left_out(pictured, officer):
    pictured.image.storage.delete(pictured.image.name)
    response = api_client(officer).get("/api/v1/questions/export/?format=moodlexml")
    assert response.status_code == 200 and response["X-Images-Left-Out"] == "1"
    assert "PLUGINFILE" not in response.content.decode()


def test_a_file_written_by_moodle_imports_its_picture_like_an_upload(officer, media):
    response = upload(api_client(officer), moodle_file(png()))
    assert response.json() == {"imported": 1, "dryRun": False, "errors": []}
    question = Question.objects.get()
    assert question.text == "Sơ đồ này đúng các bước đăng ký VNeID?" and question.data == {"answer": True}
    assert question.image_caption == "Sơ đồ các bước"
    kept = Image.open(question.image.path)
    assert kept.format == "JPEG" and kept.size == (640, 480) and not kept.getexif()
    assert "so-do" not in question.image.name  # an unguessable name, not the file's


def test_a_picture_with_exif_is_kept_without_it(officer):
    photo = phone_photo(size=(2000, 1500)).read()
    assert upload(api_client(officer), moodle_file(photo, name="a.jpg", reference="a.jpg")).status_code == 200
    kept = Image.open(Question.objects.get().image.path)
    assert kept.size == (1280, 960) and not kept.getexif()


def oversized(monkeypatch):
    monkeypatch.setattr(services, "LESSON_IMAGE_MAX_BYTES", 1024 * 1024)
    noise = Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000))  # noise: PNG cannot shrink it
    raw = BytesIO()
    noise.save(raw, "PNG")
    assert len(raw.getvalue()) > 1024 * 1024
    return moodle_file(raw.getvalue())


@pytest.mark.parametrize(
    ("make", "needle", "message"),
    [
        (lambda mp: moodle_file("iVBORw0KGgo*not-base64*"), "<file", "không phải base64 hợp lệ"),
        (lambda mp: moodle_file(b"Khong phai anh.\n" * 50), "<file", "không phải là ảnh"),
        (oversized, "<file", "Ảnh lớn hơn 1 MB."),
        (lambda mp: moodle_file(png(), name="khac.png"), "<questiontext", "“so-do.png” không có trong tệp"),
        (lambda mp: moodle_file(None), "<questiontext", "“so-do.png” không có trong tệp"),
    ],
    ids=["bad-base64", "not-an-image", "oversized", "wrong-name", "no-file"],
)
@pytest.mark.parametrize("dry_run", ["false", "true"])
def test_a_bad_picture_names_its_line_and_nothing_is_imported(
    officer, media, monkeypatch, make, needle, message, dry_run
):
    text = make(monkeypatch)
    response = upload(api_client(officer), text, dryRun=dry_run)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["line"] == line_of(text, needle) and message in error["message"], error
    assert response.json()["imported"] == 0
    assert not Question.objects.exists() and stored_files(media) == []


def test_one_bad_picture_among_good_ones_imports_nothing(officer, media):
    good = moodle_file(png())
    bad = moodle_file(b"not an image at all")
    text = good.replace("</quiz>", bad[bad.index("<question ") :])
    response = upload(api_client(officer), text)
    second = text.index("<file", text.index("<file") + 1)
    assert response.status_code == 400
    assert [e["line"] for e in response.json()["errors"]] == [text[:second].count("\n") + 1]
    assert not Question.objects.exists() and stored_files(media) == []


def test_pictures_written_for_an_import_that_fails_are_deleted(officer, tree, media, monkeypatch):
    one = moodle_file(png())
    text = one.replace("</quiz>", one[one.index("<question ") :])
    saved = []
    real_save = Question.save

    def failing_save(self, *args, **kwargs):
        saved.append(self)
        if len(saved) == 2:
            raise IntegrityError("the database went away")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Question, "save", failing_save)
    with pytest.raises(IntegrityError):
        services.import_questions(actor=officer, unit=tree.new_xuan_ai, format_name="moodlexml", text=text)
    assert len(saved) == 2 and saved[0].image.name  # the first picture had been written
    assert not Question.objects.exists() and stored_files(media) == []


def test_a_second_picture_in_one_question_is_refused(officer):
    text = moodle_file(png()).replace(
        'class="img-fluid"></p>', 'class="img-fluid"> <img src="@@PLUGINFILE@@/hai.png" alt=""></p>'
    )
    response = upload(api_client(officer), text)
    assert response.status_code == 400 and "một ảnh" in response.json()["errors"][0]["message"]


def test_the_format_reads_back_its_own_picture_without_a_database():
    nothing = formats.Framework(frozenset(), {}, frozenset())
    (question,) = formats.parse("moodlexml", moodle_file(png()), nothing)
    (again,) = formats.parse("moodlexml", formats.export_questions("moodlexml", [question]), nothing)
    assert again.image == question.image == png() and again.image_caption == "Sơ đồ các bước"
    assert again.text == question.text


def test_a_picture_in_a_folder_with_a_url_encoded_name_is_found(officer):
    text = moodle_file(png(), name="sơ đồ 1.png", reference="hinh/s%C6%A1%20%C4%91%E1%BB%93%201.png")
    text = text.replace('path="/"', 'path="/hinh/"')
    assert upload(api_client(officer), text).json()["errors"] == []
    assert Question.objects.get().image_caption == "Sơ đồ các bước"


def test_the_migration_measures_the_pictures_uploaded_before_sizes_were_kept(pictured):
    import importlib

    from django.apps import apps

    Question.objects.update(image_width=None, image_height=None)  # as the old upload left them
    importlib.import_module("tinhso.learning.migrations.0011_picture_sizes").measure(apps, None)
    assert list(Question.objects.values_list("image_width", "image_height")) == [(1280, 853)]


def noisy_png() -> bytes:
    """A picture that does not compress (about 0.9 MB as PNG), as a photo nearly does not."""
    raw = BytesIO()
    Image.frombytes("RGB", (560, 560), os.urandom(560 * 560 * 3)).save(raw, "PNG")
    return raw.getvalue()


def test_a_moodle_bank_with_its_pictures_may_pass_5_mb_and_imports_whole(officer, media):
    questions = []
    for number in range(6):
        one = moodle_file(noisy_png(), name=f"anh-{number}.png", reference=f"anh-{number}.png")
        questions.append(one[one.index("<question ") : one.index("</quiz>")])
    text = '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "".join(questions) + "</quiz>\n"
    assert 5 * 1024 * 1024 < len(text.encode()) < 20 * 1024 * 1024
    response = upload(api_client(officer), text)
    assert response.status_code == 200 and response.json()["imported"] == 6, response.content[:300]
    assert Question.objects.exclude(image="").count() == 6 and len(stored_files(media)) == 6


def test_a_gift_file_over_5_mb_is_refused_in_vietnamese_and_nothing_is_read(officer):
    line = "::Câu {n}:: Ứng dụng VNeID do Bộ Công an phát triển? {{TRUE}}\n\n"
    text = "".join(line.format(n=n) for n in range(5 * 1024 * 1024 // 40))
    assert len(text.encode()) > 5 * 1024 * 1024
    file = SimpleUploadedFile("bank.gift", text.encode(), content_type="text/plain")
    form = {"file": file, "format": "gift"}
    response = api_client(officer).post("/api/v1/questions/import/", form, format="multipart")
    assert response.status_code == 400 and "lớn hơn 5 MB" in response.content.decode()
    assert not Question.objects.exists()


def test_a_moodle_file_over_20_mb_is_refused_on_the_page_too(officer, media):
    text = moodle_file(png()).replace("</quiz>", "<!-- " + "x" * (20 * 1024 * 1024) + " -->\n</quiz>")
    file = SimpleUploadedFile("bank.xml", text.encode(), content_type="application/xml")
    form = {"file": file, "format": "moodlexml", "unit": officer.role_assignments.get().unit_id}
    response = web_client(officer).post("/learning/bank/import/", form)
    assert response.status_code == 400 and "lớn hơn 20 MB" in response.content.decode()
    assert not Question.objects.exists() and stored_files(media) == []
