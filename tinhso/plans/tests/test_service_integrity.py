"""The services' checks and their transactions: a refused call writes nothing — no value, no roll-up, no task,
no progress, no change-log entry — and says in Vietnamese what is wrong."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from tinhso.accounts.testing import make_user
from tinhso.core.models import ObjectChange
from tinhso.plans import services
from tinhso.plans.choices import ReportStatus, TaskStatus, ValueType
from tinhso.plans.models import DataValue, Evidence, Plan, Report, RollupValue, Target, Task, TaskEvent, TaskUpdate
from tinhso.plans.testing import make_data_set, make_indicator, make_plan, report
from tinhso.units.models import Organisation

from .test_permission_matrix import task_data


@pytest.fixture
def form(tree):
    data_set = make_data_set(
        "XA_THANG",
        "month",
        "commune",
        [
            ("HS_TIEPNHAN", "Hồ sơ tiếp nhận", ValueType.INTEGER),
            ("TL_TRUCTUYEN", "Tỷ lệ trực tuyến", ValueType.PERCENTAGE),
            ("CO_WIFI", "Có wifi công cộng", ValueType.BOOLEAN),
            ("GHI_CHU", "Ghi chú", ValueType.TEXT),
        ],
    )
    data_set.data_elements.filter(code="HS_TIEPNHAN").update(min_value=0, max_value=5000)
    data_set.members.exclude(data_element__code="HS_TIEPNHAN").update(is_required=False)
    return data_set


@pytest.fixture
def officer(tree):
    return make_user("commune_officer", tree.xuan_ai)


def everything(report_obj=None) -> tuple:
    """What a refused call must leave alone."""
    values = DataValue.objects.order_by("pk").values_list("data_element__code", "value", "comment", "is_approved")
    reports = Report.objects.order_by("pk").values_list("status", "return_reason")
    rollups = RollupValue.objects.order_by("pk").values_list("unit_id", "data_element_id", "period", "total", "count")
    return list(values), list(reports), list(rollups), ObjectChange.objects.count()


GOOD = {"HS_TIEPNHAN": ("120", ""), "TL_TRUCTUYEN": ("85,5", ""), "CO_WIFI": ("có", ""), "GHI_CHU": ("Ổn", "")}


@pytest.mark.parametrize(
    ("code", "entry", "message"),
    [
        ("HS_TIEPNHAN", "-5", "-5 nhỏ hơn giá trị nhỏ nhất cho phép (0)."),
        ("HS_TIEPNHAN", "5.001", "5.001 lớn hơn giá trị lớn nhất cho phép (5.000)."),
        ("HS_TIEPNHAN", "12,5", "“12,5” không phải số nguyên."),
        ("HS_TIEPNHAN", "mười hai", "“mười hai” không phải là số."),
        ("HS_TIEPNHAN", "1e30", "“1e30” quá lớn"),
        ("HS_TIEPNHAN", "Infinity", "“Infinity” không phải là số."),
        ("TL_TRUCTUYEN", "100,1", "Tỷ lệ phần trăm phải từ 0 đến 100."),
        ("CO_WIFI", "có lẽ", "“có lẽ” không phải là có hoặc không."),
        ("GHI_CHU", "x" * 1001, "dài quá 1000 ký tự"),
    ],
)
def test_one_bad_entry_among_good_ones_saves_nothing_and_names_only_its_field(
    tree, form, officer, code, entry, message
):
    opened = report(form, tree.xuan_ai, "202410", {"HS_TIEPNHAN": 100}, status="draft")
    before = everything()
    entries = {**GOOD, code: (entry, "")}
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.save_report_values(opened, entries, actor=officer)
    assert list(refused.value.message_dict) == [code]
    assert message in refused.value.message_dict[code][0]
    assert everything() == before


def test_a_code_that_is_not_on_the_form_is_named_and_nothing_is_saved(tree, form, officer):
    opened = report(form, tree.xuan_ai, "202410", {}, status="draft")
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.save_report_values(opened, {**GOOD, "THON": ("10", "")}, actor=officer)
    assert refused.value.message_dict == {"THON": ["THON không thuộc báo cáo này."]}
    assert not DataValue.objects.exists()


def test_good_entries_are_stored_as_numbers_and_an_emptied_field_is_removed(tree, form, officer):
    opened = report(form, tree.xuan_ai, "202410", {}, status="draft")
    first = services.save_report_values(opened, GOOD, actor=officer)
    assert (first.saved, first.removed) == (4, 0)
    stored = dict(DataValue.objects.values_list("data_element__code", "number"))
    assert stored == {"HS_TIEPNHAN": 120, "TL_TRUCTUYEN": Decimal("85.5"), "CO_WIFI": 1, "GHI_CHU": None}
    again = services.save_report_values(opened, {**GOOD, "GHI_CHU": ("", "")}, actor=officer)
    assert (again.saved, again.removed) == (0, 1)
    assert not DataValue.objects.filter(data_element__code="GHI_CHU").exists()


def test_saving_the_same_values_again_writes_no_change_log_entry(tree, form, officer):
    opened = report(form, tree.xuan_ai, "202410", {}, status="draft")
    services.save_report_values(opened, GOOD, actor=officer)
    logged = ObjectChange.objects.count()
    result = services.save_report_values(opened, GOOD, actor=officer)
    assert result.saved == 0 and ObjectChange.objects.count() == logged


@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.APPROVED])
def test_a_submitted_or_approved_report_refuses_every_change(tree, form, officer, status):
    locked = report(form, tree.xuan_ai, "202410", {"HS_TIEPNHAN": 120, "TL_TRUCTUYEN": "85.5"}, status=status)
    before = everything()
    with pytest.raises(ValidationError):
        services.save_report_values(locked, {"HS_TIEPNHAN": ("999", "")}, actor=officer)
    with pytest.raises(ValidationError):
        services.submit_report(locked, actor=officer)
    value = locked.values.get(data_element__code="HS_TIEPNHAN")
    with pytest.raises(ValidationError):
        services.add_evidence(actor=officer, file=_pdf(), title="Biên bản", data_value=value)
    assert everything() == before and not Evidence.objects.exists()


def test_someone_outside_the_commune_changes_nothing_on_its_report(tree, form):
    opened = report(form, tree.xuan_ai, "202410", {"HS_TIEPNHAN": 100}, status="draft")
    outsiders = (make_user("commune_officer", tree.khanh_hoa), make_user("department_staff", tree.yen_bai))
    before = everything()
    for outsider in outsiders:
        with pytest.raises(PermissionDenied):
            services.save_report_values(opened, {"HS_TIEPNHAN": ("5", "")}, actor=outsider)
        with pytest.raises(PermissionDenied):
            services.submit_report(opened, actor=outsider)
    assert everything() == before


def test_approval_adds_to_every_ancestor_and_return_takes_it_all_back(tree, form, officer):
    district = make_user("district_officer", tree.van_yen)
    submitted = report(form, tree.xuan_ai, "202410", {"HS_TIEPNHAN": 120, "TL_TRUCTUYEN": 50}, status="submitted")
    services.approve_report(submitted, actor=district)
    rollups = set(RollupValue.objects.values_list("unit_id", "data_element__code", "total", "count"))
    assert rollups == {
        (tree.van_yen.pk, "HS_TIEPNHAN", 120, 1),
        (tree.yen_bai.pk, "HS_TIEPNHAN", 120, 1),
        (tree.van_yen.pk, "TL_TRUCTUYEN", 50, 1),
        (tree.yen_bai.pk, "TL_TRUCTUYEN", 50, 1),
    }
    assert set(DataValue.objects.values_list("is_approved", flat=True)) == {True}
    services.return_report(submitted, actor=district, reason="Sai số liệu")
    assert not RollupValue.objects.exists()
    assert set(DataValue.objects.values_list("is_approved", flat=True)) == {False}


def test_a_refused_approval_or_return_leaves_the_roll_ups_alone(tree, form, officer):
    district = make_user("district_officer", tree.van_yen)
    approved = report(form, tree.xuan_ai, "202409", {"HS_TIEPNHAN": 80})
    draft = report(form, tree.xuan_ai, "202410", {"HS_TIEPNHAN": 120}, status="draft")
    before = everything()
    with pytest.raises(ValidationError):
        services.approve_report(draft, actor=district)
    with pytest.raises(ValidationError):
        services.return_report(draft, actor=district, reason="Sai")
    with pytest.raises(ValidationError):
        services.return_report(approved, actor=district, reason=" \n ")
    with pytest.raises(PermissionDenied):
        services.return_report(approved, actor=officer, reason="Tự trả lại")
    assert everything() == before


def test_a_report_cannot_be_opened_for_a_period_that_has_not_begun_nor_twice(tree, form, officer):
    next_year = timezone.localdate().year + 1
    with pytest.raises(ValidationError):
        services.open_report(
            form, tree.new_xuan_ai, f"{next_year}01", actor=make_user("commune_officer", tree.new_xuan_ai)
        )
    assert not Report.objects.exists()
    first = services.open_report(form, tree.xuan_ai, "202410", actor=officer)
    assert services.open_report(form, tree.xuan_ai, "202410", actor=officer).pk == first.pk
    assert Report.objects.count() == 1


def test_the_daily_job_opens_each_communes_report_once(tree, form):
    day = datetime.date(2024, 11, 3)
    opened = services.open_due_reports(day)
    assert opened == 3  # Xuân Ái, Yên Hợp and Khánh Hòa report October 2024
    assert set(Report.objects.values_list("period", "due_date")) == {("202410", datetime.date(2024, 11, 10))}
    logged = ObjectChange.objects.filter(object_type__model="report", action="create").count()
    assert logged == 3
    assert services.open_due_reports(day) == 0
    assert Report.objects.count() == 3


def test_after_the_reform_the_daily_job_opens_the_reports_of_the_merged_communes(tree, form):
    assert services.open_due_reports(datetime.date(2025, 8, 2)) == 2  # Xuân Ái (merged) and Khánh Hòa
    assert set(Report.objects.values_list("unit_id", flat=True)) == {tree.new_xuan_ai.pk, tree.new_khanh_hoa.pk}


# --- Plans, targets, tasks --------------------------------------------------------------------------


def test_a_plan_ending_before_it_starts_is_refused_and_not_saved(tree, officer):
    plan = Plan(
        unit=tree.xuan_ai,
        number="5/KH-UBND",
        title="Kế hoạch chuyển đổi số xã",
        issued_on=datetime.date(2024, 2, 1),
        start_date=datetime.date(2024, 12, 31),
        end_date=datetime.date(2024, 1, 1),
    )
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.save_plan(plan, actor=officer)
    assert "end_date" in refused.value.message_dict
    assert not Plan.objects.exists()


def test_a_commune_officer_cannot_issue_a_plan_for_the_district(tree, officer):
    plan = Plan(
        unit=tree.van_yen,
        number="7/KH-UBND",
        title="Kế hoạch huyện",
        issued_on=datetime.date(2024, 2, 1),
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    with pytest.raises(PermissionDenied):
        services.save_plan(plan, actor=officer)
    assert not Plan.objects.exists()


@pytest.mark.parametrize("period", ["2024-12", "Q1 2024", "", "20241", "2024Q5"])
def test_a_target_with_a_wrong_period_is_refused(tree, period):
    plan = make_plan(tree.yen_bai)
    indicator = make_indicator("SO_THON", "#{SO_THON}")
    admin = make_user("province_admin", tree.yen_bai)
    target = Target(plan=plan, indicator=indicator, unit=tree.yen_bai, period=period, value=Decimal(10))
    with pytest.raises(ValidationError):
        services.save_target(target, actor=admin)
    assert not Target.objects.exists()


def test_a_task_led_from_outside_the_plans_unit_is_refused(tree, commune_plan):
    elsewhere = Organisation.objects.create(name="UBND xã Khánh Hòa", kind="peoples_committee", unit=tree.khanh_hoa)
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.create_task(actor=None, data=task_data(commune_plan, elsewhere))
    assert "Xã Xuân Ái" in refused.value.message_dict["owner_organisation"][0]
    assert not Task.objects.exists()


def test_a_sub_task_belongs_to_the_plan_of_its_parent(tree, commune_plan, committee):
    other_plan = make_plan(tree.xuan_ai, number="13/KH-UBND")
    parent = services.create_task(actor=None, data=task_data(commune_plan, committee))
    with pytest.raises(ValidationError) as refused:
        services.create_task(actor=None, data={**task_data(other_plan, committee), "parent": parent})
    assert "parent" in refused.value.message_dict
    assert Task.objects.count() == 1


def test_a_task_update_that_breaks_a_clarity_changes_nothing(tree, commune_plan, committee, officer):
    task = services.create_task(actor=None, data=task_data(commune_plan, committee))
    before = Task.objects.filter(pk=task.pk).values().get(), ObjectChange.objects.count()
    for changes in (
        {"responsible_person": "  "},
        {"due_date": datetime.date(2024, 1, 1)},
        {"budget_vnd": None},
        {"status": "completed", "unit": tree.khanh_hoa},
    ):
        with pytest.raises(ValidationError):
            services.update_task(Task.objects.get(pk=task.pk), actor=officer, changes=changes)
    assert (Task.objects.filter(pk=task.pk).values().get(), ObjectChange.objects.count()) == before


def test_only_a_draft_is_published_and_progress_waits_for_publication(tree, commune_plan, committee, officer):
    draft = services.create_task(actor=officer, data={"plan": commune_plan, "title": "Việc nháp"}, publish=False)
    with pytest.raises(ValidationError):
        services.post_task_update(draft, actor=officer, progress=10, note="Bắt đầu")
    with pytest.raises(ValidationError):
        services.publish_task(draft, actor=officer)  # not "5 rõ" yet
    assert Task.objects.get(pk=draft.pk).status == TaskStatus.DRAFT
    published = services.create_task(actor=officer, data=task_data(commune_plan, committee))
    with pytest.raises(ValidationError):
        services.publish_task(published, actor=officer)
    assert not TaskUpdate.objects.exists()


@pytest.mark.parametrize("progress", [-1, 101, 1000])
def test_progress_outside_0_to_100_is_refused_and_changes_nothing(tree, commune_plan, committee, officer, progress):
    task = services.create_task(actor=None, data=task_data(commune_plan, committee))
    with pytest.raises(ValidationError):
        services.post_task_update(task, actor=officer, progress=progress, note="Sai")
    task.refresh_from_db()
    assert (task.progress, task.status) == (0, TaskStatus.IN_PROGRESS) and not TaskUpdate.objects.exists()


def test_a_cancelled_sub_task_does_not_hold_its_parent_back(tree, commune_plan, committee, officer):
    parent = services.create_task(actor=None, data=task_data(commune_plan, committee))
    first, second, dropped = (
        services.create_task(actor=None, data={**task_data(commune_plan, committee), "parent": parent})
        for _ in range(3)
    )
    services.post_task_update(dropped, actor=officer, progress=0, status=TaskStatus.CANCELLED, note="Không làm nữa")
    services.post_task_update(first, actor=officer, progress=100, note="Xong")
    parent.refresh_from_db()
    assert (parent.progress, parent.status) == (50, TaskStatus.IN_PROGRESS)
    services.post_task_update(second, actor=officer, progress=100, note="Xong")
    parent.refresh_from_db()
    assert (parent.progress, parent.status, parent.completed_on) == (
        100,
        TaskStatus.COMPLETED,
        timezone.localdate(),
    )


def test_the_overdue_flag_is_set_once_and_lifted_when_the_task_is_done(tree, commune_plan, committee, officer):
    task = services.create_task(actor=None, data=task_data(commune_plan, committee))  # due 30/11/2024
    day = datetime.date(2024, 12, 2)
    assert services.flag_overdue_tasks(day) == 1
    assert services.flag_overdue_tasks(day) == 0
    assert TaskEvent.objects.filter(task=task, kind="overdue").count() == 1
    services.post_task_update(task, actor=officer, progress=100, note="Hoàn thành")
    services.flag_overdue_tasks(day)
    assert not Task.objects.get(pk=task.pk).is_overdue


# --- Evidence ----------------------------------------------------------------------------------------


def _pdf(name="Bien ban.pdf", size=None):
    content = b"%PDF-1.4 " + (b"x" * (size - 9) if size else b"bien ban")
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_file_over_20_mb_or_of_a_strange_kind_is_refused_and_not_kept(tree, form, officer):
    opened = report(form, tree.xuan_ai, "202410", {"HS_TIEPNHAN": 100}, status="draft")
    value = opened.values.get()
    with translation.override("vi"), pytest.raises(ValidationError) as too_big:
        services.add_evidence(
            actor=officer, file=_pdf(size=services.MAX_EVIDENCE_BYTES + 1), title="Lớn", data_value=value
        )
    assert "20 MB" in too_big.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as strange:
        services.add_evidence(actor=officer, file=_pdf(name="virus.exe"), title="Lạ", data_value=value)
    assert "file" in strange.value.message_dict
    assert not Evidence.objects.exists()


def test_evidence_of_another_commune_cannot_be_added_or_removed(tree, form, officer):
    opened = report(form, tree.xuan_ai, "202410", {"HS_TIEPNHAN": 100}, status="draft")
    value = opened.values.get()
    kept = services.add_evidence(actor=officer, file=_pdf(), title="Biên bản", data_value=value)
    outsider = make_user("commune_officer", tree.khanh_hoa)
    with pytest.raises(PermissionDenied):
        services.add_evidence(actor=outsider, file=_pdf(), title="Giả", data_value=value)
    with pytest.raises(PermissionDenied):
        services.delete_evidence(kept, actor=outsider)
    assert list(Evidence.objects.values_list("pk", flat=True)) == [kept.pk]
    services.delete_evidence(kept, actor=officer)
    assert not Evidence.objects.exists()
