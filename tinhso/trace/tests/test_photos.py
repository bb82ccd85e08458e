"""The photo page of a tree: an officer adds a phone photo; the kept copy has no GPS; outsiders get 404."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tinhso.core.testing import web_client
from tinhso.trace.models import TreePhoto

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(name="IMG_0001.jpg", size=(3000, 2000)):
    exif = Image.Exif()
    exif[0x8825] = {2: (21.0, 37.0, 2.4564), 4: (104.0, 36.0, 24.74)}
    raw = BytesIO()
    Image.new("RGB", size, "green").save(raw, "JPEG", exif=exif)
    return SimpleUploadedFile(name, raw.getvalue(), content_type="image/jpeg")


def test_an_officer_adds_a_photo_from_the_tree_page(tea):
    web = web_client(tea.officer)
    page = web.get(f"/trace/trees/{tea.tree1.pk}/").content.decode()
    assert f"/trace/trees/{tea.tree1.pk}/photos/add/" in page
    response = web.post(f"/trace/trees/{tea.tree1.pk}/photos/add/", {"image": upload(), "caption": "Gốc chè"})
    assert response.status_code == 302 and response["Location"] == f"/trace/trees/{tea.tree1.pk}/"
    photo = TreePhoto.objects.get()
    stored = Image.open(photo.image.path)
    assert max(stored.size) == 1280 and not stored.getexif()
    public = Client().get(f"/t/{tea.tree1.short_code}").content.decode()
    assert f"/trace/public/photos/{photo.pk}/" in public


@pytest.mark.parametrize(
    "image",
    [
        SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>", content_type="image/jpeg"),
        SimpleUploadedFile("x.jpg", b"", content_type="image/jpeg"),
        SimpleUploadedFile("../../etc/passwd", b"root:x:0:0", content_type="text/plain"),
    ],
    ids=["script", "empty", "path"],
)
def test_a_file_that_is_not_a_photo_is_refused_on_the_form(tea, image):
    response = web_client(tea.officer).post(f"/trace/trees/{tea.tree1.pk}/photos/add/", {"image": image})
    assert response.status_code == 200 and b"errorlist" in response.content
    assert not TreePhoto.objects.exists()


def test_a_photo_is_removed_by_the_officer_only(tea):
    web_client(tea.officer).post(f"/trace/trees/{tea.tree1.pk}/photos/add/", {"image": upload()})
    photo = TreePhoto.objects.get()
    url = f"/trace/trees/{tea.tree1.pk}/photos/{photo.pk}/remove/"
    assert web_client(tea.other_officer).post(url).status_code == 404
    assert web_client(tea.officer).get(url).status_code == 405
    assert TreePhoto.objects.exists()
    assert web_client(tea.officer).post(url).status_code == 302
    assert not TreePhoto.objects.exists()


@pytest.mark.parametrize("who", ["other_officer", "village_head", "citizen"])
def test_outsiders_cannot_add_a_photo(tea, who):
    response = web_client(getattr(tea, who)).post(f"/trace/trees/{tea.tree1.pk}/photos/add/", {"image": upload()})
    assert response.status_code in (403, 404)
    assert not TreePhoto.objects.exists()
