"""The competence framework is data: shipped with Circular 02/2025's six domains and 24 competences, then the
province's own rows are what pages, forms and tags use."""

import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.learning.models import Competence, CompetenceDomain, Course, Question

pytestmark = pytest.mark.django_db


def test_the_framework_ships_six_domains_and_twenty_four_competences():
    assert CompetenceDomain.objects.count() == 6
    assert Competence.objects.count() == 24
    assert CompetenceDomain.objects.get(number=6).name == "Ứng dụng trí tuệ nhân tạo"
    assert list(Competence.objects.filter(domain__number=4).values_list("code", flat=True)) == [
        "4.1",
        "4.2",
        "4.3",
        "4.4",
    ]


def test_a_domain_renamed_by_the_province_is_what_learners_see(tree):
    CompetenceDomain.objects.filter(number=4).update(name="An toàn, an ninh mạng")
    page = web_client(make_user("citizen", tree.new_khe_dua)).get("/learning/courses/").content.decode()
    assert "An toàn, an ninh mạng" in page


def test_an_officer_tags_a_question_with_competences_of_its_domain(tree):
    officer = web_client(make_user("commune_officer", tree.new_xuan_ai))
    privacy = Competence.objects.get(code="4.2")
    form = {
        "unit": tree.new_xuan_ai.pk,
        "kind": "truefalse",
        "text": "Có nên cho người khác biết mã OTP không?",
        "answers": "false",
        "domain": "4",
        "level": "1",
        "competences": [privacy.pk],
        "is_active": "on",
    }
    assert officer.post("/learning/bank/new/", form).status_code == 302
    assert list(Question.objects.get().competences.all()) == [privacy]


def test_competences_of_another_domain_are_refused_and_nothing_is_saved(tree):
    officer = web_client(make_user("commune_officer", tree.new_xuan_ai))
    form = {
        "unit": tree.new_xuan_ai.pk,
        "title": "An toàn trên mạng",
        "domain": "4",
        "level": "2",
        "competences": [Competence.objects.get(code="6.2").pk],
        "pass_percent": "60",
    }
    page = officer.post("/learning/courses/new/", form).content.decode()
    assert "Chọn năng lực thành phần thuộc miền năng lực đã chọn" in page
    assert not Course.objects.exists()
