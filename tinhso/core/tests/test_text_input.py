"""Names are stored as one text, however they were typed: Unicode NFC, and no invisible or text-direction
characters (a village “Khe Dứa” with a zero-width space, or with a right-to-left override, would be a second
village that looks like the first). Tested on the whole class of characters and through every door."""

import sys
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.accounts.testing import make_user
from tinhso.core.testing import api_client
from tinhso.core.text import clean_text
from tinhso.units.models import Unit

INVISIBLE = [chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) in ("Cf", "Cc", "Cs")]
SAMPLES = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u202d", "\u2066", "\u200f", "\x00"]


def test_every_format_and_control_character_is_refused_in_a_name():
    assert len(INVISIBLE) > 200
    accepted = [f"U+{ord(ch):04X}" for ch in INVISIBLE if _accepted(f"Khe{ch}Dứa")]
    assert accepted == []


def test_line_breaks_stay_allowed_in_multi_line_text_only():
    assert clean_text("Họp thôn\nlúc 8 giờ", multiline=True) == "Họp thôn\nlúc 8 giờ"
    assert not _accepted("Khe\nDứa")


@pytest.mark.parametrize("name", ["Khe Dứa", "Nà Hẩu", "Đồng Tâm", "Khuổi Vai", "Xuân Ái", "Giàng A Páo"])
def test_decomposed_vietnamese_is_stored_composed(name):
    assert clean_text(unicodedata.normalize("NFD", name)) == name


def _accepted(text: str) -> bool:
    try:
        clean_text(text)
    except ValidationError:
        return False
    return True


@pytest.fixture
def admin(tree):
    return api_client(make_user("province_admin", tree.yen_bai))


def create_village(admin, tree, short_name: str):
    body = {"parent_code": tree.new_xuan_ai.code, "short_name": short_name, "unit_type": "thon"}
    return admin.post("/api/v1/units/", body, format="json", HTTP_ACCEPT_LANGUAGE="vi")


def test_a_village_sent_decomposed_through_the_api_is_stored_composed(admin, tree):
    response = create_village(admin, tree, unicodedata.normalize("NFD", "Khe Dứa Mới"))
    assert response.status_code == 201, response.content
    unit = Unit.objects.get(pk=response.json()["id"])
    assert unit.short_name == "Khe Dứa Mới" and unicodedata.is_normalized("NFC", unit.name)


@pytest.mark.parametrize("character", SAMPLES)
def test_a_village_with_an_invisible_character_is_refused_by_the_api_and_nothing_is_stored(admin, tree, character):
    before = Unit.objects.count()
    response = create_village(admin, tree, f"Khe{character} Dứa")
    assert response.status_code == 400
    assert character == "\x00" or "vô hình" in str(response.json())
    assert Unit.objects.count() == before


@pytest.mark.parametrize("character", ["\u200b", "\u202e"])
def test_an_imported_village_with_an_invisible_character_names_its_row(tree, character):
    from tinhso.core.imports import ImportRejected, read_table
    from tinhso.units.importers.villages import COLUMNS

    text = f"Mã xã,Tên thôn\n{tree.new_xuan_ai.code},Khe{character} Dứa\n"
    with pytest.raises(ImportRejected) as refused:
        read_table(SimpleUploadedFile("thon.csv", text.encode("utf-8"), "text/csv"), COLUMNS)
    assert refused.value.errors[0].row == 2


def test_a_page_form_refuses_an_invisible_character_in_an_organisation_name(tree):
    from tinhso.core.testing import web_client
    from tinhso.units.models import Organisation

    page = web_client(make_user("province_admin", tree.yen_bai)).post(
        f"/units/{tree.new_xuan_ai.pk}/organisations/add/",
        {"name": "UBND\u200b xã Xuân Ái", "short_name": "UBND", "kind": "peoples_committee", "is_active": "on"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert page.status_code == 200
    assert "vô hình" in page.content.decode()
    assert not Organisation.objects.filter(name__contains="\u200b").exists()


def test_text_that_was_not_utf8_is_refused_in_vietnamese_not_stored_garbled():
    """A decoder puts U+FFFD where bytes were not UTF-8 (Django does so in a multipart form); such a name would
    stay 'Thôn H��p' for good."""
    from django.utils import translation

    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        clean_text("Thôn H\ufffd\ufffdp")
    assert "UTF-8" in refused.value.messages[0] and "không đọc được" in refused.value.messages[0]


@pytest.mark.parametrize(
    "body",
    [
        b"name=UBND+x\xe3+Xu\xe2n",  # Latin-1 bytes: Django would read them as "xã Xuân"-looking mojibake
        b"name=UBND+x%E3+Xu%E2n",  # the same, percent-encoded
        b"name=UBND+%ED%A0%80",  # a lone surrogate
    ],
)
def test_a_form_body_that_is_not_utf8_is_refused_in_vietnamese_and_nothing_is_stored(tree, body):
    from tinhso.core.testing import web_client
    from tinhso.units.models import Organisation

    admin = make_user("province_admin", tree.yen_bai)
    before = Organisation.objects.count()
    page = web_client(admin).generic(
        "POST",
        f"/units/{tree.new_xuan_ai.pk}/organisations/add/",
        body + b"&short_name=UBND&kind=peoples_committee&is_active=on",
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert page.status_code == 400 and "không được gửi theo mã UTF-8" in page.content.decode()
    api = api_client(admin).generic(
        "POST",
        "/api/v1/units/",
        body + b"&short_name=X&unit_type=thon",
        content_type="application/x-www-form-urlencoded",
    )
    assert api.status_code == 400 and "UTF-8" in api.json()["detail"]
    assert Organisation.objects.count() == before


def test_a_utf8_form_body_with_vietnamese_still_goes_through(tree):
    from urllib.parse import urlencode

    from tinhso.core.testing import web_client
    from tinhso.units.models import Organisation

    body = urlencode(
        {"name": "UBND xã Xuân Ái mới", "short_name": "UBND", "kind": "peoples_committee", "is_active": "on"}
    )
    page = web_client(make_user("province_admin", tree.yen_bai)).generic(
        "POST",
        f"/units/{tree.new_xuan_ai.pk}/organisations/add/",
        body.encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert page.status_code == 302
    assert Organisation.objects.filter(name="UBND xã Xuân Ái mới").exists()
