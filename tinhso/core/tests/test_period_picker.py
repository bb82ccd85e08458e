"""Periods are picked from a list in words (“Tháng 11/2024”, “Quý 1/2024”, “Năm 2024”), never typed as codes:
every form and list filter of every app that asks for a period uses core's PeriodChoiceField, a plain
<select> that works without script; the value sent stays the DHIS2 code, as the API expects."""

import datetime
import importlib
import inspect

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.utils import translation

from tinhso.core.periods import PeriodChoiceField, period_choices


def _period_fields():
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("tinhso."):
            continue
        for module_name in ("forms", "filtersets"):
            try:
                module = importlib.import_module(f"{config.name}.{module_name}")
            except ModuleNotFoundError:
                continue
            for name, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ != module.__name__:
                    continue
                if issubclass(cls, django_filters.FilterSet):
                    fields = {key: f.field_class for key, f in cls.base_filters.items()}
                elif issubclass(cls, forms.BaseForm):
                    fields = {key: type(f) for key, f in cls.base_fields.items()}
                else:
                    continue
                found += [(f"{module.__name__}.{name}.{key}", kind) for key, kind in fields.items() if "period" in key]
    return found


def test_every_period_in_a_form_or_filter_is_picked_from_a_list():
    fields = _period_fields()
    assert len(fields) >= 6  # reports (open, filter, score), teams, scoring, work, ...
    typed = [name for name, kind in fields if not issubclass(kind, forms.ChoiceField)]
    assert typed == []


def test_the_picker_names_periods_in_words_and_sends_codes():
    with translation.override("vi"):
        groups = dict(period_choices(datetime.date(2024, 11, 20)))
    assert ("202411", "Tháng 11/2024") in groups["Tháng"]
    assert ("2024Q1", "Quý 1/2024") in groups["Quý"]
    assert ("2024", "Năm 2024") in groups["Năm"]


@pytest.mark.parametrize("code", ["2024X", "<script>", "9" * 30, ""])
def test_a_code_that_is_no_period_is_a_form_error(code):
    class Form(forms.Form):
        period = PeriodChoiceField()

    assert not Form({"period": code}).is_valid()


def test_an_old_period_stays_chosen():
    class Form(forms.Form):
        period = PeriodChoiceField()

    with translation.override("vi"):
        html = str(Form(initial={"period": "2015Q2"})["period"])
    assert '<option value="2015Q2" selected>Quý 2/2015</option>' in html and "<input" not in html
