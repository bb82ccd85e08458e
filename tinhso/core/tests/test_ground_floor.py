"""Pieces of the ground floor every module leans on: periods, text folding, the scope seam, the registries,
the discovery of API URLs. Property-style where a rule holds for any input."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tinhso.core import scoping
from tinhso.core.models import ObjectChange
from tinhso.core.periods import parse_period, period_of, periods_between
from tinhso.core.registry import DemoRegistry, Menu, MenuItem
from tinhso.core.text import fold, short_date

days = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2099, 12, 31))
kinds = st.sampled_from(["year", "half", "quarter", "month"])


@given(day=days, kind=kinds)
def test_every_day_lies_in_the_period_of_that_day_and_the_code_reads_back(day, kind):
    period = period_of(day, kind)
    assert period.contains(day)
    assert parse_period(period.code) == period
    assert period.start <= period.end


@given(day=days, kind=kinds)
def test_periods_follow_each_other_without_gap_or_overlap(day, kind):
    first = period_of(day, kind)
    following = period_of(first.end + datetime.timedelta(days=1), kind)
    assert following.start == first.end + datetime.timedelta(days=1)
    assert periods_between(first.code, following.code) == [first, following]


@given(text=st.text(max_size=30))
def test_a_code_that_is_not_a_period_is_refused_in_words(text):
    try:
        parse_period(text)
    except ValidationError as error:
        assert "không phải mã kỳ" in error.messages[0] or "is not a period code" in error.messages[0]


def test_period_labels_are_in_words():
    assert [str(parse_period(code)) for code in ("2024", "2024S1", "2024Q3", "202411")] == [
        "Năm 2024",
        "6 tháng lần 1/2024",
        "Quý 3/2024",
        "Tháng 11/2024",
    ]


@given(text=st.text(max_size=40))
def test_folding_is_stable_and_forgets_marks_and_case(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert folded == folded.lower()
    assert "  " not in folded


def test_folding_vietnamese_names_and_short_dates():
    assert fold("  Xã   Xuân Ái ") == "xa xuan ai"
    assert fold("ĐỒNG TÂM") == "dong tam"
    assert short_date(datetime.date(2024, 3, 27)) == "27/3/2024"


class TestScopeSeam:
    def test_an_action_becomes_the_models_permission_and_a_full_name_stays(self):
        assert scoping.resolve_permission(ObjectChange, "view") == "core.view_objectchange"
        assert scoping.resolve_permission(ObjectChange, "radio.add_bulletin") == "radio.add_bulletin"
        assert scoping.permission_name(ObjectChange, "approve") == "core.approve_objectchange"

    def test_restrict_asks_the_registered_backend_with_the_permission_and_the_path(self, monkeypatch):
        asked = []

        class Recorder:
            def restrict(self, queryset, user, permission, path, distinct):
                asked.append((permission, path, distinct))
                return queryset.none()

        monkeypatch.setattr(scoping, "_backend", Recorder())
        ObjectChange.objects.restrict("someone")
        ObjectChange.objects.restrict("someone", "plans.approve_report", path="unit_path")
        assert asked == [("core.view_objectchange", "unit_path", False), ("plans.approve_report", "unit_path", False)]

    def test_without_a_backend_restrict_fails_loudly_rather_than_showing_everything(self, monkeypatch):
        monkeypatch.setattr(scoping, "_backend", None)
        with pytest.raises(ImproperlyConfigured):
            ObjectChange.objects.restrict("someone")

    def test_accounts_registered_its_backend_at_start_up(self):
        assert type(scoping.scope_backend()).__name__ == "RoleScopeBackend"


class TestRegistries:
    def test_demo_parts_run_in_order_and_say_whether_they_are_there(self):
        registry = DemoRegistry()
        registry.add("users", lambda **_: None, order=90, describe=lambda: "admin")
        registry.add("units", lambda **_: None, order=10, present=lambda: True)
        assert [part.name for part in registry.ordered()] == ["units", "users"]
        assert registry.already_seeded()
        assert registry.descriptions() == "admin"
        assert not DemoRegistry().already_seeded()

    def test_a_menu_entry_is_added_once_and_sorted(self):
        menu = Menu()
        menu.add(MenuItem("B", "b", order=20))
        menu.add(MenuItem("A", "a", order=10))
        menu.add(MenuItem("A again", "a", order=5))
        assert [item.label for item in menu.items] == ["A", "B"]


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("auth-token", "/api/v1/auth/token/"),
        ("user-list", "/api/v1/users/"),
        ("roleassignment-list", "/api/v1/role-assignments/"),
        ("unit-list", "/api/v1/units/"),
        ("organisation-list", "/api/v1/organisations/"),
        ("objectchange-list", "/api/v1/changes/"),
        ("job-list", "/api/v1/jobs/"),
        ("datavaluesets", "/api/v1/datavaluesets/"),
    ],
)
def test_the_foundation_registers_its_api_like_the_domains_and_every_url_stays(name, path):
    assert reverse(name) == path


@pytest.mark.parametrize("code", ["0000", "000001", "0000Q1", "9999", "999912", "２０２４", "２０２４１１"])
def test_a_year_no_calendar_holds_is_not_a_period_code(code):
    """Year 0 and the end of year 9999 crashed the date arithmetic (a 500 on every page with a period filter)."""
    with pytest.raises(ValidationError, match="2024Q1"):
        parse_period(code)
