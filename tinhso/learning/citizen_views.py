"""The digital-citizen pages of a commune officer: counts per village (on the structure date, or as the units were
before the 2025 reform), who was evaluated (tier, points, village, certificate; filters; Excel), and why."""

import datetime

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from tinhso.core.files import XLSX, download_response
from tinhso.core.text import LONGEST_SEARCH
from tinhso.units.choices import UnitLevel
from tinhso.units.filtersets import unknown_unit_code
from tinhso.units.models import Unit
from tinhso.units.snapshot import snapshot_on

from . import citizen_records, citizens
from .models import Certificate

BEFORE_REFORM = datetime.date(2025, 6, 30)  # the last day of the three-tier structure (districts)
PER_PAGE = 25  # a cheap phone shows each row as a card: 25 of them is already a long page


class ResidentFilterForm(forms.Form):
    within = forms.CharField(label=_("Village"), required=False, max_length=LONGEST_SEARCH)
    tier = forms.ChoiceField(
        label=_("Tier"),
        required=False,
        choices=[
            ("", _("Every tier")),
            ("active", _("Active tier")),
            ("basic", _("Basic tier")),
            ("none", _("Not yet")),
        ],
    )
    q = forms.CharField(label=_("Name"), required=False, max_length=LONGEST_SEARCH)

    def __init__(self, *args, day: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.day = day

    def clean_within(self):
        code = self.cleaned_data["within"].strip()
        if code and snapshot_on(self.day).by_code(code) is None:
            raise unknown_unit_code(code, self.day)
        return code

    def unit_ids(self) -> set[int] | None:
        """Unit versions of any day that stand inside the chosen unit on the structure date (None: no filter)."""
        code = self.cleaned_data.get("within")
        if not code:
            return None
        structure = snapshot_on(self.day)
        return structure.ids_within(structure.by_code(code).id)


def chosen_year(request) -> str:
    year = request.GET.get("year", "")
    return year if year.isascii() and year.isdigit() and len(year) == 4 else str(timezone.localdate().year)


class DigitalCitizenCountView(LoginRequiredMixin, TemplateView):
    """Recognised digital citizens per village of the officer's units by tier, then who (filters, pages), for a
    year; `?export=xlsx` gives the filtered list with every criterion's points."""

    template_name = "learning/citizens.html"

    def get(self, request, *args, **kwargs):
        if not request.user.has_perm(citizen_records.VIEW):
            raise PermissionDenied
        year, day = chosen_year(request), request.as_of
        form = ResidentFilterForm(request.GET, day=day)
        valid = form.is_valid()
        residents = citizen_records.evaluations(request.user, year)
        if valid:
            residents = citizen_records.filtered(
                residents,
                unit_ids=form.unit_ids(),
                tier=form.cleaned_data["tier"],
                search=form.cleaned_data["q"],
            )
        else:
            residents = residents.none()
        if valid and request.GET.get("export") == "xlsx":
            return download_response(citizen_records.workbook(residents, day, year), f"cong-dan-so-{year}.xlsx", XLSX)
        page = Paginator(residents.select_related("unit"), PER_PAGE).get_page(request.GET.get("page"))
        context = self.get_context_data(
            year=year, day=day, form=form, page=page, rows=citizen_records.rows_of(page.object_list, day)
        )
        context.update(self._counts(year, day))
        return self.render_to_response(context, status=200 if valid else 400)

    def _counts(self, year: str, day: datetime.date) -> dict:
        villages = (
            Unit.objects.restrict(self.request.user, "view")
            .filter(level=UnitLevel.VILLAGE)
            .valid_on(day)
            .select_related("parent")
            .order_by("parent__name", "name")
        )
        villages = list(villages[:500])
        rows = [row for row in citizens.counts_by_unit(year, villages, day) if row["total"]]
        certificates = Certificate.objects.restrict(self.request.user, "view").select_related("user", "unit")
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        return {
            "counts": rows,
            "total": sum(row["total"] for row in rows),
            "before_reform": BEFORE_REFORM,
            "is_before_reform": day <= BEFORE_REFORM,
            "today": timezone.localdate(),
            "villages": villages,
            "query": query.urlencode(),
            "years": citizen_records.years(self.request.user, year),
            "certificates": certificates.order_by("-issued_on", "-pk")[:50],
        }


class DigitalCitizenDetailView(LoginRequiredMixin, TemplateView):
    """Why a resident is (or is not yet) a digital citizen: every criterion of the rule set in force for the year,
    its points, the value judged on, the evidence source and when it was recorded. The officers who keep the
    commune's records open it, and the resident their own; anyone else gets 404."""

    template_name = "learning/citizen_detail.html"

    def get_context_data(self, **kwargs):
        evaluation = get_object_or_404(
            citizen_records.visible_to(self.request.user).select_related("criteria_set", "unit"), pk=kwargs["pk"]
        )
        (row,) = citizen_records.rows_of([evaluation], self.request.as_of)
        return super().get_context_data(
            evaluation=evaluation,
            row=row,
            lines=citizen_records.lines_of(evaluation),
            rules=evaluation.criteria_set,
            effective=citizen_records.effective_dates(evaluation.criteria_set),
            is_officer=self.request.user.has_perm(citizen_records.VIEW),
            **kwargs,
        )


class OwnDigitalCitizenView(LoginRequiredMixin, TemplateView):
    """A resident's way to their own "why": the latest year they were scored, or a page saying they were not."""

    template_name = "learning/citizen_mine.html"

    def get(self, request, *args, **kwargs):
        own = citizen_records.own_evaluations(request.user).order_by("-period").first()
        if own is not None:
            return redirect("learning:citizen", pk=own.pk)
        return super().get(request, *args, **kwargs)
