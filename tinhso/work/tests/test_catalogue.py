"""The product catalogue: conversion factors by effective date, imported all or nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from tinhso.core.imports import ImportRejected
from tinhso.work import catalogue
from tinhso.work.models import ConversionFactor, JobPosition, Product

pytestmark = pytest.mark.django_db

HEADER = ["Mã", "Tên sản phẩm", "Đơn vị tính", "Hệ số quy đổi", "Hiệu lực từ"]


def workbook(*rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "danh-muc.xlsx"
    return data


def test_the_chairman_imports_the_catalogue_and_a_later_factor_is_a_new_version(world):
    result = catalogue.import_catalogue(
        world.committee,
        workbook(
            ("TT", "Tờ trình", "tờ trình", "2", "1/1/2026"),
            ("TT", "Tờ trình", "tờ trình", "2,5", "1/7/2026"),
            ("HS", "Hồ sơ một cửa", "hồ sơ", 0.2, datetime.date(2026, 1, 1)),
        ),
        actor=world.chairman.user,
    )
    assert result == {"products": 2, "factors": 3}
    memo = Product.objects.get(organisation=world.committee, code="TT")
    assert catalogue.factor_on(memo, datetime.date(2026, 3, 1)) == Decimal("2")
    assert catalogue.factor_on(memo, datetime.date(2026, 8, 1)) == Decimal("2.5")


def test_every_bad_row_is_listed_and_nothing_is_written(world):
    before = ConversionFactor.objects.count()
    with pytest.raises(ImportRejected) as rejected:
        catalogue.import_catalogue(
            world.committee,
            workbook(
                ("TT", "Tờ trình", "tờ trình", "2", "1/1/2026"),
                ("", "Không mã", "", "1", "1/1/2026"),
                ("XX", "Hệ số âm", "", "-1", "1/1/2026"),
                ("YY", "Ngày sai", "", "1", "ngày mai"),
            ),
            actor=world.chairman.user,
        )
    assert sorted((e.row, e.column) for e in rejected.value.errors) == [
        (3, "code"),
        (4, "factor"),
        (5, "effective_from"),
    ]
    assert ConversionFactor.objects.count() == before
    assert not Product.objects.filter(code="TT").exists()


def test_an_officer_cannot_change_the_catalogue(world):
    with pytest.raises(PermissionDenied):
        catalogue.import_catalogue(
            world.committee, workbook(("TT", "Tờ trình", "", "2", "1/1/2026")), actor=world.officer.user
        )
    assert not Product.objects.filter(code="TT").exists()


def test_a_job_position_norm_counts_from_its_day(world):
    position = JobPosition.objects.create(organisation=world.committee, name="Công chức Văn phòng - Thống kê")
    catalogue.set_norm(
        position, actor=world.chairman.user, effective_from=datetime.date(2026, 1, 1), monthly_standard_products="12"
    )
    assert position.norms.get().monthly_standard_products == Decimal(12)


def test_the_import_api_lists_every_bad_row(world):
    from tinhso.core.testing import api_client

    data = workbook(("TT", "Tờ trình", "", "hai", "1/1/2026"))
    answer = api_client(world.chairman.user).post(
        "/api/v1/work/catalogue/import/", {"organisation": world.committee.pk, "file": data}, format="multipart"
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["column"] == "factor"
    assert not Product.objects.filter(code="TT").exists()
