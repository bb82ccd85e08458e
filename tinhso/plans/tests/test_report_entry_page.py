"""An officer corrects a report on its page: a refused entry or submission changes nothing, the page comes
back with what the officer typed and says in Vietnamese what is wrong — never a server error."""

import pytest
from django.utils import translation

from tinhso.accounts.testing import make_user
from tinhso.core.testing import fallback_file_name, saved_file_name, web_client
from tinhso.plans.choices import ReportStatus, ValueType
from tinhso.plans.models import DataValue, ValidationRule
from tinhso.plans.testing import make_data_set, report

HOSTILE_ENTRIES = ["-5", "abc", "1e9", "<script>alert(1)</script>", "12,5", "1.356.7", "∞", "NaN", "9" * 39]


@pytest.fixture
def monthly(tree):
    data_set = make_data_set(
        "XA_THANG",
        "month",
        "commune",
        [
            ("HS_TIEPNHAN", "Hồ sơ tiếp nhận", ValueType.INTEGER),
            ("HS_TRUCTUYEN", "Hồ sơ trực tuyến", ValueType.INTEGER),
        ],
        due_days=5,
    )
    data_set.members.update(is_required=True)
    data_set.data_elements.update(min_value=0, max_value=100000)
    ValidationRule.objects.create(
        data_set=data_set,
        name="Trực tuyến không quá tiếp nhận",
        left="#{HS_TRUCTUYEN}",
        operator="<=",
        right="#{HS_TIEPNHAN}",
    )
    return data_set


@pytest.fixture
def officer(tree):
    return make_user("commune_officer", tree.xuan_ai)


def stored(opened) -> dict:
    return dict(DataValue.objects.filter(report=opened).values_list("data_element__code", "value"))


@pytest.mark.parametrize("status", [ReportStatus.DRAFT, ReportStatus.RETURNED])
@pytest.mark.parametrize("entry", HOSTILE_ENTRIES)
@pytest.mark.parametrize("button", ["save", "submit"])
def test_a_bad_entry_on_a_report_with_saved_values_changes_nothing_and_is_shown_back(
    tree, monthly, officer, status, entry, button
):
    opened = report(monthly, tree.xuan_ai, "202411", {"HS_TIEPNHAN": 120, "HS_TRUCTUYEN": 80}, status=status)
    before = stored(opened)
    with translation.override("vi"):
        page = web_client(officer).post(
            opened.get_absolute_url(),
            {"value_HS_TIEPNHAN": "150", "value_HS_TRUCTUYEN": entry, button: "1"},
            HTTP_ACCEPT_LANGUAGE="vi",
        )
    assert page.status_code == 200
    assert stored(opened) == before
    text = page.content.decode()
    assert 'value="150"' in text
    assert "<script>alert(1)</script>" not in text
    assert page.context["form"].errors["value_HS_TRUCTUYEN"]
    opened.refresh_from_db()
    assert opened.status == status


def test_a_submission_refused_by_a_check_keeps_nothing_typed(tree, monthly, officer):
    opened = report(monthly, tree.xuan_ai, "202411", {"HS_TIEPNHAN": 120, "HS_TRUCTUYEN": 80}, status="returned")
    with translation.override("vi"):
        page = web_client(officer).post(
            opened.get_absolute_url(), {"value_HS_TIEPNHAN": "120", "value_HS_TRUCTUYEN": "150", "submit": "1"}
        )
    assert page.status_code == 200
    assert "Hồ sơ trực tuyến (150) phải nhỏ hơn hoặc bằng Hồ sơ tiếp nhận (120)" in page.content.decode()
    assert stored(opened) == {"HS_TIEPNHAN": "120", "HS_TRUCTUYEN": "80"}
    opened.refresh_from_db()
    assert opened.status == ReportStatus.RETURNED


def test_a_good_correction_is_saved(tree, monthly, officer):
    opened = report(monthly, tree.xuan_ai, "202411", {"HS_TIEPNHAN": 120, "HS_TRUCTUYEN": 80}, status="returned")
    page = web_client(officer).post(
        opened.get_absolute_url(), {"value_HS_TIEPNHAN": "150", "value_HS_TRUCTUYEN": "90", "save": "1"}
    )
    assert page.status_code == 302
    assert stored(opened) == {"HS_TIEPNHAN": "150", "HS_TRUCTUYEN": "90"}


def test_a_document_backing_a_value_is_read_only_within_scope(tree, monthly, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tinhso.plans import services

    opened = report(monthly, tree.xuan_ai, "202411", {"HS_TIEPNHAN": 120, "HS_TRUCTUYEN": 80}, status="draft")
    value = opened.values.get(data_element__code="HS_TIEPNHAN")
    upload = SimpleUploadedFile("Bien ban 12.pdf", b"%PDF-1.4 bien ban", content_type="application/pdf")
    evidence = services.add_evidence(actor=officer, file=upload, title="Biên bản", data_value=value)
    assert "Bien" not in evidence.file.name
    url = f"/plans/evidence/{evidence.pk}/file/"
    response = web_client(officer).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 bien ban"
    assert saved_file_name(response) == "Biên bản.pdf" and fallback_file_name(response) == "Bien ban.pdf"
    assert web_client(make_user("citizen", tree.xuan_ai)).get(url).status_code == 404
    assert web_client(make_user("commune_officer", tree.khanh_hoa)).get(url).status_code == 404
    assert url in web_client(officer).get(f"/plans/values/{value.pk}/evidence/").content.decode()
