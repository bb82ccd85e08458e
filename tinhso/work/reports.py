"""The unit's table of scores and grades (Excel) and a person's evaluation dossier (Decree-30 PDF)."""

from django.utils import timezone
from django.utils.html import escape
from openpyxl import Workbook

from tinhso.core.documents import Document, Issuer, Signer, render_pdf
from tinhso.core.spreadsheets import workbook_bytes
from tinhso.scoring.rules import number

from . import evaluation, rules
from .models import MonthlyReview, StaffMember, YearGrade


def unit_workbook(organisation_id: int, year: int) -> bytes:
    staff = list(
        StaffMember.objects.filter(organisation_id=organisation_id).select_related("user").order_by("-is_head", "pk")
    )
    totals: dict[int, dict[str, object]] = {}
    for staff_id, period, total in MonthlyReview.objects.filter(
        staff__in=staff, period__startswith=str(year), evaluation__isnull=False
    ).values_list("staff_id", "period", "evaluation__total"):
        totals.setdefault(staff_id, {})[period] = float(total)
    grades = {g.staff_id: g for g in YearGrade.objects.filter(staff__in=staff, year=year)}
    kpi = rules.rules_on(timezone.datetime(year, 12, 31).date())
    book = Workbook()
    sheet = book.active
    sheet.title = f"Năm {year}"
    months = [f"{year}{month:02d}" for month in range(1, 13)]
    sheet.append(["Họ và tên", "Chức vụ", *[f"T{int(m[4:])}" for m in months], "Điểm năm", "Xếp loại"])
    for member in staff:
        grade = grades.get(member.pk)
        label = rules.grade_label(grade.grade, kpi.grades) if grade and kpi else ""
        row = [str(member), member.title, *[totals.get(member.pk, {}).get(m) for m in months]]
        sheet.append([*row, float(grade.score) if grade else None, label])
    return workbook_bytes(book)


def dossier_pdf(staff: StaffMember, year: int) -> bytes:
    result = evaluation.explain_year(staff, year)
    rows = "".join(
        f"<tr><td>{escape(line['criterion'])}</td><td>{number(line['points'])}</td><td>{escape(line['explanation'])}</td></tr>"
        for line in result["explanation"]
    )
    notes = "".join(f"<p>{escape(note)}</p>" for note in result["items"])
    score = number(result["score"]) if result["score"] is not None else "—"
    body = (
        f"<p>Họ và tên: <b>{escape(str(staff))}</b>; chức vụ: {escape(staff.title)}; "
        f"cơ quan: {escape(staff.organisation.name)}.</p>"
        "<table class='table'><thead><tr><th>Tháng</th><th>Điểm</th><th>Mức</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        f"<p>Điểm bình quân năm {year}: <b>{score}</b>. Xếp loại: <b>{escape(result['grade_label'])}</b>.</p>{notes}"
    )
    document = Document(
        issuer=Issuer(name=staff.organisation.name.upper()),
        number_symbol="\u00a0" * 8 + "/BC-ĐG",
        place=staff.organisation.unit.short_name if hasattr(staff.organisation.unit, "short_name") else "",
        day=timezone.localdate(),
        kind="PHIẾU ĐÁNH GIÁ, XẾP LOẠI",
        title=f"Chất lượng cán bộ, công chức năm {year}",
        body_html=body,
        recipients=["Cá nhân được đánh giá;", "Lưu: hồ sơ cán bộ."],
        signer=Signer(title="THỦ TRƯỞNG CƠ QUAN"),
    )
    return render_pdf(document)
