import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import ListView, TemplateView

from tinhso.core.files import XLSX, download_response
from tinhso.core.periods import parse_period, period_of
from tinhso.core.views import ObjectDetailView, ServiceFormView
from tinhso.units.models import Organisation, Unit

from . import appeals, dashboard, evaluation, reports, services
from .choices import OPEN_STATUSES, Quality, ReviewStatus
from .forms import AcceptForm, AppealDecisionForm, AppealForm, WorkItemForm
from .grid import Cells
from .models import Appeal, MonthlyReview, ReviewEvent, StaffMember, WorkItem
from .people import heads_or_keeps_records

TABS = [
    ("mine", gettext_lazy("Mine")),
    ("unit", gettext_lazy("My unit's")),
    ("overdue", gettext_lazy("Overdue")),
    ("soon", gettext_lazy("Due in 7 days")),
]


class InboxView(LoginRequiredMixin, ListView):
    """ "Việc của tôi": cards that read on a 360 px phone, four tabs."""

    template_name = "work/inbox.html"
    paginate_by = 30

    def tab(self) -> str:
        tab = self.request.GET.get("tab", "mine")
        return tab if tab in dict(TABS) else "mine"

    def get_queryset(self):
        user, today = self.request.user, timezone.localdate()
        items = WorkItem.objects.restrict(user).select_related("assignee", "product").order_by("due_date", "pk")
        tab = self.tab()
        if tab == "mine":
            return items.filter(assignee=user).exclude(status="accepted")
        if tab == "overdue":
            return items.filter(status__in=OPEN_STATUSES, due_date__lt=today)
        if tab == "soon":
            return items.filter(
                status__in=OPEN_STATUSES, due_date__gte=today, due_date__lte=today + datetime.timedelta(7)
            )
        return items.filter(status__in=OPEN_STATUSES)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context.update(
            tabs=TABS,
            tab=self.tab(),
            today=today,
            can_add=self.request.user.has_perm("work.add_workitem"),
            to_review=WorkItem.objects.restrict(self.request.user)
            .filter(status="submitted")
            .exclude(assignee=self.request.user)
            .filter(assigned_by=self.request.user)
            .count(),
        )
        return context


class WorkItemCreateView(ServiceFormView):
    form_class = WorkItemForm
    title = gettext_lazy("Assign work")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        data = form.cleaned_data
        return services.create_item(
            actor=self.request.user,
            assignee=data["assignee"].user,
            title=data["title"],
            description=data["description"],
            due_date=data["due_date"],
            product=data["product"],
            quantity=data["quantity"],
            priority=data["priority"],
        )


class WorkItemDetailView(ObjectDetailView):
    model = WorkItem
    queryset = WorkItem.objects.select_related("assignee", "assigned_by", "product", "organisation")
    template_name = "work/item_detail.html"

    def get_context_data(self, **kwargs):
        from . import sources

        context = super().get_context_data(**kwargs)
        item, user = self.object, self.request.user
        context.update(
            comments=item.comments.select_related("author"),
            evidence=item.evidence.all(),
            is_assignee=item.assignee_id == user.pk,
            can_review=item.status == "submitted" and item.assignee_id != user.pk and _may_review(item, user),
            accept_form=AcceptForm(),
            qualities=Quality.choices,
            source_link=sources.link_to(item.source_kind, item.source),
            source_label=getattr(sources.get(item.source_kind), "label", ""),
            today=timezone.localdate(),
        )
        return context


def _may_review(item, user) -> bool:
    try:
        services._require_reviewer(item, user)
    except PermissionDenied:
        return False
    return True


ACTIONS = {
    "progress": lambda item, r: services.report_progress(
        item, actor=r.user, progress=r.POST.get("progress"), note=r.POST.get("note", "")
    ),
    "submit": lambda item, r: services.submit(item, actor=r.user, note=r.POST.get("note", "")),
    "accept": lambda item, r: services.accept(item, actor=r.user, quality=r.POST.get("quality", "")),
    "return": lambda item, r: services.return_item(item, actor=r.user, reason=r.POST.get("reason", "")),
    "comment": lambda item, r: services.add_comment(item, actor=r.user, text=r.POST.get("text", "")),
    "evidence": lambda item, r: services.add_evidence(
        item, actor=r.user, file=r.FILES.get("file"), note=r.POST.get("note", "")
    ),
}


@require_POST
def item_action(request, pk, action):
    if not request.user.is_authenticated or action not in ACTIONS:
        raise Http404
    item = get_object_or_404(WorkItem.objects.restrict(request.user), pk=pk)
    _run(request, lambda: ACTIONS[action](item, request), _("Saved."))
    return redirect(item)


def _run(request, action, success: str) -> bool:
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    except PermissionDenied as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success)
    return True


class EvaluationHomeView(LoginRequiredMixin, TemplateView):
    """The months and year grades of the people whose scores the user may see (themself first)."""

    template_name = "work/evaluation_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        year = _year(self.request)
        visible = evaluation.visible_staff_ids(user)
        staff = list(
            StaffMember.objects.filter(pk__in=visible)
            .select_related("user", "organisation")
            .order_by("organisation", "-is_head")
        )
        # Plain rows, not 3,600 reviews and their evaluations as model instances for a 300-person body.
        scored = MonthlyReview.objects.filter(
            staff__in=staff, period__startswith=str(year), evaluation__isnull=False
        ).values_list("staff_id", "period", "evaluation__total", "status")
        grid: dict[int, dict[str, tuple]] = {}
        for staff_id, period, total, status in scored:
            grid.setdefault(staff_id, {})[period] = (total, status == ReviewStatus.APPROVED)
        grades = {g.staff_id: g for g in evaluation.YearGrade.objects.filter(staff__in=staff, year=year)}
        months = [f"{year}{month:02d}" for month in range(1, 13)]
        quarters = evaluation.quarter_grades([s.pk for s in staff], year)
        cells = Cells(year)
        rows = [
            (
                s,
                cells.row(
                    s.pk, [(m, grid.get(s.pk, {}).get(m)) for m in months], quarters.get(s.pk, []), grades.get(s.pk)
                ),
            )
            for s in staff
        ]
        heads = {s.organisation_id for s in staff if s.user_id == user.pk and (s.is_head or s.is_personnel_officer)}
        context.update(
            year=year,
            months=months,
            quarter_codes=[f"{year}Q{q}" for q in range(1, 5)],
            rows=rows,
            organisations_led=heads,
            waiting_appeals=[
                a for a in appeals.visible_appeals(user).filter(status="pending") if appeals.may_decide(user, a)
            ],
        )
        return context


FIRST_YEAR, LAST_YEAR = 2000, 2100


def _year(request) -> int:
    """?year=2026; none → this year; a bad one → this year, and the person is told (never an empty page)."""
    raw = (request.GET.get("year") or "").strip()
    this_year = timezone.localdate().year
    if not raw:
        return this_year
    if raw.isascii() and raw.isdigit() and FIRST_YEAR <= int(raw) <= LAST_YEAR:
        return int(raw)
    messages.warning(
        request,
        _("“%(raw)s” is not a year between %(first)s and %(last)s; showing %(year)s.")
        % {"raw": raw[:20], "first": FIRST_YEAR, "last": LAST_YEAR, "year": this_year},
    )
    return this_year


def _visible_staff(request, pk) -> StaffMember:
    staff = StaffMember.objects.select_related("user", "organisation__unit", "manager").filter(pk=pk).first()
    if staff is None or not evaluation.can_see_scores(request.user, staff):
        raise Http404
    return staff


class MonthView(LoginRequiredMixin, TemplateView):
    """A month's explained score and review; a quarter (2026Q1) or the year (2026): its months and grade."""

    template_name = "work/month_detail.html"

    def get_template_names(self):
        return [self.template_name if self.kind == "month" else "work/period_detail.html"]

    def get(self, request, *args, **kwargs):
        try:
            period = parse_period((kwargs["period"] or "").strip().upper().replace("-", ""))
        except ValidationError as error:
            raise Http404 from error
        if period.kind not in ("month", "quarter", "year"):
            raise Http404
        self.kind, self.code = period.kind, period.code
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        staff = _visible_staff(self.request, kwargs["staff"])
        is_self = staff.user_id == self.request.user.pk
        context.update(
            staff=staff,
            is_self=is_self,
            period_code=self.code,
            appeals=Appeal.objects.filter(staff=staff, period=self.code),
            events=ReviewEvent.objects.filter(staff=staff, period=self.code).select_related("actor"),
        )
        if self.kind != "month":
            try:
                result = (
                    evaluation.explain_year(staff, int(self.code))
                    if self.kind == "year"
                    else evaluation.explain_quarter(staff, self.code)
                )
            except ValidationError as error:
                raise Http404 from error
            context.update(result=result, period=parse_period(self.code))
            if self.kind == "year":
                kpi = evaluation.rules.rules_on(parse_period(self.code).end)
                grade = evaluation.YearGrade.objects.filter(staff=staff, year=int(self.code)).first()
                context.update(
                    year_grade=grade,
                    may_decide_grade=grade is not None and _may_decide(self.request.user, staff),
                    grade_choices=kpi.grades if kpi else [],
                    disqualifiers=kpi.disqualifiers if kpi else [],
                )
            return context
        explained = evaluation.explain_month(staff, self.code)
        general = []
        kpi = evaluation.rules.rules_on(explained.period.end)
        if kpi:
            general = [
                (c.source_key.removeprefix(evaluation.GENERAL_PREFIX), c)
                for c in kpi.criteria_set.criteria.filter(source_key__startswith=evaluation.GENERAL_PREFIX)
            ]
        context.update(
            explained=explained,
            review=explained.review,
            general=general,
            quarter=f"{self.code[:4]}Q{(int(self.code[4:]) + 2) // 3}",
        )
        return context


STEPS = {
    "self": lambda review, r, points: evaluation.self_assess(
        review, actor=r.user, points=points, comment=r.POST.get("comment", "")
    ),
    "review": lambda review, r, points: evaluation.manager_review(
        review, actor=r.user, points=points, comment=r.POST.get("comment", "")
    ),
    "comment": lambda review, r, points: evaluation.record_collective_comment(
        review, actor=r.user, comment=r.POST.get("comment", "")
    ),
    "approve": lambda review, r, points: evaluation.approve(review, actor=r.user),
    "reopen": lambda review, r, points: evaluation.reopen(review, actor=r.user, reason=r.POST.get("comment", "")),
}


@require_POST
def review_step(request, staff, period, step):
    if not request.user.is_authenticated or step not in STEPS:
        raise Http404
    member = _visible_staff(request, staff)
    review = get_object_or_404(MonthlyReview, staff=member, period=period.replace("-", ""))
    points = {
        key.removeprefix("point_"): value
        for key, value in request.POST.items()
        if key.startswith("point_") and value != ""
    }
    _run(request, lambda: STEPS[step](review, request, points), _("Saved."))
    return redirect("work:month_detail", staff=member.pk, period=period)


@require_POST
def grade_decide(request, staff, year):
    """The head decides the year's grade from the year page (a decision recorded for an exception)."""
    if not request.user.is_authenticated:
        raise Http404
    member = _visible_staff(request, staff)
    grade = get_object_or_404(evaluation.YearGrade, staff=member, year=year)

    def decide():
        from tinhso.core.text import clean_text

        evaluation.decide_grade(
            grade,
            actor=request.user,
            code=request.POST.get("grade", "").strip()[:20],
            decision=clean_text(request.POST.get("decision", "")).strip()[:200],
            disqualifier=request.POST.get("disqualifier", "").strip()[:40],
        )

    _run(request, decide, _("Saved."))
    return redirect("work:month_detail", staff=member.pk, period=str(year))


def _may_decide(user, staff) -> bool:
    try:
        evaluation.require_decider(user, staff)
    except PermissionDenied:
        return False
    return True


def unit_table(request, organisation, year):
    if not request.user.is_authenticated:
        raise Http404
    if not heads_or_keeps_records(request.user, organisation):
        raise Http404
    content = reports.unit_workbook(organisation, year)
    return download_response(content, f"danh-gia-{organisation}-{year}.xlsx", XLSX)


def dossier(request, staff, year):
    member = _visible_staff(request, staff)
    pdf = reports.dossier_pdf(member, year)
    return download_response(pdf, f"ho-so-danh-gia-{member.pk}-{year}.pdf", "application/pdf", inline=True)


# --- appeals ---------------------------------------------------------------------------------------


class AppealListView(LoginRequiredMixin, ListView):
    """My appeals and the ones I may see (my line's, my body's if I head it or keep its records)."""

    template_name = "work/appeal_list.html"
    paginate_by = 30

    def get_queryset(self):
        return appeals.visible_appeals(self.request.user)


class AppealCreateView(ServiceFormView):
    """An official appeals their own month, quarter or year (`?period=2026Q1` fills the form)."""

    form_class = AppealForm
    title = gettext_lazy("Appeal an evaluation")

    def get_initial(self):
        return {"period": self.request.GET.get("period", "")[:10]}

    def perform(self, form):
        staff = StaffMember.objects.filter(user=self.request.user).select_related("organisation__unit").first()
        if staff is None:
            raise PermissionDenied(_("You are not on the staff list of any body."))
        return appeals.file_appeal(
            staff, actor=self.request.user, period=form.cleaned_data["period"], reason=form.cleaned_data["reason"]
        )


def _visible_appeal(request, pk) -> Appeal:
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(appeals.visible_appeals(request.user), pk=pk)


class AppealDetailView(LoginRequiredMixin, TemplateView):
    template_name = "work/appeal_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        appeal = _visible_appeal(self.request, kwargs["pk"])
        period = parse_period(appeal.period)
        kpi = evaluation.rules.rules_on(period.end)
        context.update(
            appeal=appeal,
            period=period,
            may_decide=appeals.may_decide(self.request.user, appeal),
            form=AppealDecisionForm(grades=kpi.grades if kpi and period.kind == "year" else ()),
            is_year=period.kind == "year",
            new_grade_label=evaluation.rules.grade_label(appeal.new_grade, kpi.grades) if kpi else appeal.new_grade,
            events=ReviewEvent.objects.filter(staff=appeal.staff, period=appeal.period).select_related("actor"),
        )
        return context


@require_POST
def appeal_decide(request, pk):
    appeal = _visible_appeal(request, pk)
    accept = request.POST.get("outcome") == "accept"
    _run(
        request,
        lambda: appeals.decide_appeal(
            appeal,
            actor=request.user,
            accept=accept,
            answer=request.POST.get("answer", ""),
            grade=request.POST.get("grade", ""),
        ),
        _("Saved."),
    )
    return redirect(appeal)


# --- dashboard -------------------------------------------------------------------------------------


def _dashboard_period(request):
    """?month=2026-03 or ?year=2026 (default: this year up to today); a bad month falls back to the year,
    a bad year to this year, with a message either way."""
    raw = (request.GET.get("month") or "").strip()
    if raw:
        code = raw.replace("-", "")
        if code.isascii() and code.isdigit() and len(code) == 6 and FIRST_YEAR <= int(code[:4]) <= LAST_YEAR:
            try:
                return parse_period(evaluation.month_code(code))
            except ValidationError:
                pass
        messages.warning(request, _("“%(raw)s” is not a month like 2026-03; showing the year.") % {"raw": raw[:20]})
    return period_of(datetime.date(_year(request), 1, 1), "year")


class DashboardView(LoginRequiredMixin, TemplateView):
    """Completion and lateness of work by body, their unit results and grades against the quota; `?unit=`
    narrows to an administrative unit (the drill-down), a body's name opens its people."""

    template_name = "work/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if not user.has_perm("work.view_workitem"):
            raise Http404
        period = _dashboard_period(self.request)
        within = None
        raw = self.request.GET.get("unit", "")
        if raw:
            plain = raw.isascii() and raw.isdigit() and len(raw) <= 18  # "²" is a digit to Python, not to int()
            within = Unit.objects.restrict(user).filter(pk=int(raw)).first() if plain else None
            if within is None:
                raise Http404
        rows = dashboard.bodies(user, period, within=within, today=timezone.localdate())
        context.update(
            period=period,
            within=within,
            trail=_unit_trail(within),
            rows=rows,
            total=dashboard.totals(rows),
            year=period.start.year,
        )
        return context


def _unit_trail(unit) -> list:
    trail = []
    while unit is not None:
        trail.insert(0, unit)
        unit = unit.parent
    return trail


class DashboardBodyView(LoginRequiredMixin, TemplateView):
    """One body's people: their work due in the period, and their grades where the user may see scores."""

    template_name = "work/dashboard_body.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        organisation = (
            Organisation.objects.restrict(user).select_related("unit").filter(pk=kwargs["organisation"]).first()
        )
        if organisation is None or not user.has_perm("work.view_workitem"):
            raise Http404
        period = _dashboard_period(self.request)
        rows = dashboard.people(user, organisation, period, today=timezone.localdate())
        context.update(
            organisation=organisation,
            period=period,
            rows=rows,
            total=dashboard.totals(rows),
            year=period.start.year,
            quarter_codes=[f"{period.start.year}Q{q}" for q in range(1, 5)],
        )
        return context
