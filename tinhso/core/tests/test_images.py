"""A phone photo made fit to publish: upright, small, and without the GPS point it was taken at."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from tinhso.core.images import publishable_jpeg

GPS = {2: (21.0, 37.0, 2.4564), 4: (104.0, 36.0, 24.74)}


def phone_photo(size=(4000, 3000), orientation=None, fmt="JPEG") -> bytes:
    exif = Image.Exif()
    exif[0x8825] = GPS  # GPSInfo
    exif[0x0110] = "Phone X"  # model
    if orientation:
        exif[0x0112] = orientation
    raw = BytesIO()
    Image.new("RGB", size, "green").save(raw, fmt, exif=exif)
    return raw.getvalue()


def test_the_photo_is_smaller_and_keeps_no_exif():
    data = publishable_jpeg(phone_photo(), max_pixels=1280)
    picture = Image.open(BytesIO(data))
    assert picture.format == "JPEG" and picture.size == (1280, 960)
    assert not picture.getexif() and "exif" not in picture.info and b"Phone X" not in data


def test_a_photo_taken_sideways_is_turned_upright_before_its_exif_goes():
    picture = Image.open(BytesIO(publishable_jpeg(phone_photo(orientation=6), max_pixels=1280)))
    assert picture.size == (960, 1280)


def test_a_png_with_metadata_becomes_a_clean_jpeg():
    picture = Image.open(BytesIO(publishable_jpeg(phone_photo((800, 600), fmt="PNG"))))
    assert picture.format == "JPEG" and picture.size == (800, 600) and not picture.getexif()


@pytest.mark.parametrize(
    "data",
    [b"", b"not a photo", phone_photo((100, 100))[:200], b"%PDF-1.4\n", b"GIF89a" + b"\x00" * 10],
    ids=["empty", "text", "truncated", "pdf", "broken-gif"],
)
def test_anything_but_a_photo_is_a_validation_error(data):
    with pytest.raises(ValidationError):
        publishable_jpeg(data)


def test_a_decompression_bomb_is_refused_without_decoding_it():
    raw = BytesIO()
    Image.new("1", (8200, 8200)).save(raw, "PNG")  # 67 megapixels in a few KB: more than any phone camera
    with pytest.raises(ValidationError):
        publishable_jpeg(raw.getvalue())


def test_a_photo_is_checked_from_its_header_and_left_ready_to_read_again():
    from django.core.files.base import ContentFile

    from tinhso.core.images import check_photo

    upload = ContentFile(phone_photo((800, 600)), name="a.jpg")
    check_photo(upload)
    assert upload.tell() == 0 and Image.open(upload).size == (800, 600)
    bitmap = BytesIO()
    Image.new("RGB", (80, 60)).save(bitmap, "BMP")  # an image, but not what a phone sends
    for refused in (b"%PDF-1.4 not a photo", bitmap.getvalue()):
        with pytest.raises(ValidationError):
            check_photo(refused)
    with pytest.raises(ValidationError):
        check_photo(phone_photo((800, 600)), max_bytes=1000)


def test_a_cut_photo_is_still_refused_once_a_pdf_has_been_made_in_the_process():
    from tinhso.core.documents import weasyprint_html

    weasyprint_html()  # WeasyPrint's import turns on Pillow's filling of cut images for the whole process
    whole = phone_photo((800, 600))
    with pytest.raises(ValidationError):
        publishable_jpeg(whole[: len(whole) // 2])
