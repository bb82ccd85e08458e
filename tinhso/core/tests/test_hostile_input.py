"""Hostile input ends in a clean 4xx with a Vietnamese message, never a server error: the five causes of the
17 reproducers of issue 10 (CSV with a lone carriage return, non-UTF-8 CSV, integers beyond 64 bits in filters
and id lists, deeply nested JSON, a body over the upload limit), each tested on every door it came through."""

import contextlib
import importlib

import django_filters
import pytest
from django.apps import apps
from django.test import override_settings
from django.utils.module_loading import import_string

from tinhso.accounts.testing import make_user
from tinhso.core.filtersets import FilterSet
from tinhso.core.testing import api_client

HUGE = 2**70
CSV_DOORS = [
    ("/api/v1/teams/members/import/", "ho_ten,gioi_tinh,nam_sinh,dien_thoai\r\n"),
    ("/api/v1/units/import/", "ma_xa,ten\r\n"),
]
BROKEN_CSV = {
    "a lone carriage return": "Nguyễn Văn\rA,nam,1985,0912345678\n",
    "a lone carriage return in quotes": '"Nguyễn Văn\rA,nam,1985,0912345678\n',
    "a field larger than the csv limit": "x" * 200_000 + ",nam\n",
    "a NUL byte": "Nguyễn\x00 Văn A,nam,1985,0912345678\n",
}


@pytest.fixture
def admin(tree):
    return api_client(make_user("province_admin", tree.yen_bai))


def assert_refused_in_vietnamese(response, status=400):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body, "a refusal says why"


@pytest.mark.parametrize("door, header", CSV_DOORS)
@pytest.mark.parametrize("case", BROKEN_CSV)
def test_a_broken_csv_upload_is_refused_not_a_server_error(admin, door, header, case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("tep.csv", (header + BROKEN_CSV[case]).encode("utf-8"), "text/csv")
    response = admin.post(door, {"file": upload}, format="multipart", HTTP_ACCEPT_LANGUAGE="vi")
    # Imports run as jobs now (202); a file the csv module cannot read is refused before or by the job.
    assert response.status_code in (201, 202, 400), response.content[:300]
    from tinhso.core.imports import ImportRejected, csv_rows

    with contextlib.suppress(ImportRejected):
        csv_rows((header + BROKEN_CSV[case]).encode("utf-8"), sniff=True)


@pytest.mark.parametrize("case", BROKEN_CSV)
def test_a_broken_csv_to_data_value_sets_is_refused_not_a_server_error(admin, case):
    body = "dataelement,period,orgunit,catoptcombo,attroptcombo,value\n" + BROKEN_CSV[case]
    response = admin.post("/api/v1/datavaluesets/", body.encode("utf-8"), content_type="text/csv")
    assert response.status_code in (202, 400, 409), response.content[:300]  # 202: checked by a job


@pytest.mark.parametrize(
    "raw", [b"\x81\x8d\x8f\x90\x9d,202411,XA\n", b"\xff\xfe\x00d\x00e", "Nà Hẩu,202411".encode("utf-16")]
)
def test_a_csv_that_is_not_utf8_to_data_value_sets_is_refused_not_a_server_error(admin, raw):
    response = admin.post("/api/v1/datavaluesets/", raw, content_type="text/csv", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code in (202, 400, 409), response.content[:300]  # 202: checked by a job


def test_bytes_no_vietnamese_encoding_can_read_are_named_as_such(admin):
    response = admin.post("/api/v1/datavaluesets/", b"\x81\x8d\x8f,1\n", content_type="text/csv")
    assert_refused_in_vietnamese(response)
    assert "UTF-8" in response.json()["detail"]


def test_a_lone_carriage_return_ends_a_line_as_old_spreadsheets_mean_it():
    from tinhso.core.imports import csv_rows

    assert csv_rows("ma,ten\r01,Khe Dứa\r02,Nà Hẩu") == [["ma", "ten"], ["01", "Khe Dứa"], ["02", "Nà Hẩu"]]


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/radio/events/?cluster={HUGE}",
        f"/api/v1/radio/events/?bulletin={HUGE}",
        f"/api/v1/radio/events/?cluster=-{HUGE}",
        f"/api/v1/teams/members/?team={HUGE}",
        f"/api/v1/teams/activities/?team={HUGE}",
        f"/api/v1/scoring/evaluations/?criteria_set={HUGE}",
        f"/api/v1/changes/?object_id={HUGE}",
    ],
)
def test_an_integer_beyond_64_bits_in_a_filter_is_a_400(admin, url):
    response = admin.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert_refused_in_vietnamese(response)
    assert "Đảm bảo" in str(response.json())


@pytest.mark.parametrize(
    "url, body",
    [
        ("/api/v1/radio/bulletins/", {"title": "Thông báo", "text": "Họp thôn", "clusters": [HUGE]}),
        ("/api/v1/teams/activities/", {"team": HUGE, "activity_type": "vneid", "date": "2024-11-02"}),
        ("/api/v1/role-assignments/", {"user": 1, "role": "citizen", "unit": HUGE}),
    ],
)
def test_an_id_beyond_64_bits_in_a_body_is_a_400(admin, url, body):
    response = admin.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k1", HTTP_ACCEPT_LANGUAGE="vi")
    assert_refused_in_vietnamese(response)


def test_every_filter_set_bounds_its_numbers():
    """New modules get the bound for free only if their filter sets start from core's."""
    filter_sets = {cls for cls in _subclasses(django_filters.FilterSet) if cls.__module__.startswith("tinhso.")}
    assert filter_sets
    assert {cls.__qualname__ for cls in filter_sets if not issubclass(cls, FilterSet)} == set()


def _subclasses(cls):
    for app in apps.get_app_configs():
        for module in ("filtersets", "views_boards", "api.views"):
            with contextlib.suppress(ModuleNotFoundError):
                importlib.import_module(f"{app.name}.{module}")
    found, pending = set(), [cls]
    while pending:
        for sub in pending.pop().__subclasses__():
            found.add(sub)
            pending.append(sub)
    return found


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    "url", ["/api/v1/radio/bulletins/", "/api/v1/teams/activities/", "/api/v1/datavaluesets/", "/api/v1/units/"]
)
@pytest.mark.parametrize("body", [DEEP, '{"a":' * 50 + "1" + "}" * 50])
def test_json_nested_too_deep_is_a_400(admin, url, body):
    response = admin.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k2")
    assert_refused_in_vietnamese(response)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2000)
@pytest.mark.parametrize(
    "url, content_type",
    [
        ("/api/v1/radio/bulletins/", "application/json"),
        ("/api/v1/datavaluesets/", "text/csv"),
        ("/api/v1/radio/bulletins/", "application/x-www-form-urlencoded"),
    ],
)
def test_a_body_over_the_upload_limit_is_a_json_413(admin, url, content_type):
    body = '{"title": "' + "a" * 5000 + '"}' if content_type == "application/json" else "title=" + "a" * 5000
    response = admin.post(url, body, content_type=content_type, HTTP_ACCEPT_LANGUAGE="vi")
    assert_refused_in_vietnamese(response, status=413)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2000, FILE_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_multipart_body_over_the_upload_limit_is_a_json_413(admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("tep.csv", b"ho_ten\n" + b"a" * 5000, "text/csv")
    response = admin.post("/api/v1/teams/members/import/", {"file": upload, "note": "x" * 5000}, format="multipart")
    assert_refused_in_vietnamese(response, status=413)


def test_parsers_are_the_bounded_ones_by_default():
    from django.conf import settings

    parsers = [import_string(name) for name in settings.REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]]
    assert "tinhso.core.api.parsers" in {parser.__module__ for parser in parsers}


SEARCH_100_KB = "Khe Dứa " * 12_500


@pytest.mark.parametrize("url", ["/units/", "/accounts/users/", "/teams/registry/", "/trace/", "/units/jump/"])
def test_a_search_of_100_kb_is_refused_or_cut_not_a_server_error(tree, url):
    """SQLite refuses a LIKE pattern over 50 KB (“LIKE or GLOB pattern too complex”): a 500 on every list page
    with a search box. Filter sets refuse a search over 200 characters; the unit switcher searches their start."""
    from tinhso.core.testing import web_client

    response = web_client(make_user("province_admin", tree.yen_bai)).get(
        url, {"q": SEARCH_100_KB}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 200
    if url != "/units/jump/":
        assert "Giá trị này chỉ có tối đa 200 kí tự" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("ids", [[str(HUGE)], ["1", str(-HUGE)], [str(2**63)]])
def test_an_id_beyond_64_bits_in_a_multiple_choice_is_not_a_valid_value(ids):
    """Every module's multiple choices (and those of many-to-many fields) looked the ids up with pk__in, which
    overflowed SQLite: a 500 on the trace batch, learning question and contest, and plans task forms."""
    from django import forms
    from django.contrib.contenttypes.models import ContentType
    from django.core.exceptions import ValidationError
    from django.utils import translation

    field = forms.ModelMultipleChoiceField(queryset=ContentType.objects.all())
    with translation.override("vi"), pytest.raises(ValidationError, match="Không có đối tượng nào có id này"):
        field.clean(ids)
    assert list(field.clean([str(ContentType.objects.first().pk)])) == [ContentType.objects.first()]
