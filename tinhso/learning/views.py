"""Pages for participants (contest list, attempt, leaderboard): thin, every change through services."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from tinhso.units.models import Organisation, Unit

from . import selectors, services
from .choices import AttemptStatus
from .forms import answers_from_post
from .models import Attempt, Participation
from .reports import participation_report, report_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ContestListView(LoginRequiredMixin, TemplateView):
    template_name = "learning/contest_list.html"

    def get_context_data(self, **kwargs):
        contests = list(selectors.visible_contests(self.request.user).prefetch_related("pools").order_by("-opens_at"))
        mine = Attempt.objects.filter(user=self.request.user, contest__in=contests)
        used = {}
        for attempt in mine:
            used.setdefault(attempt.contest_id, []).append(attempt)
        for contest in contests:
            contest.my_attempts = used.get(contest.pk, [])
            contest.open_attempt = next((a for a in contest.my_attempts if a.status == AttemptStatus.OPEN), None)
            contest.may_enter = contest.is_published and services.is_eligible(contest, self.request.user)
        return super().get_context_data(contests=contests, now=timezone.now(), **kwargs)


class AttemptStartView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        contest = get_object_or_404(selectors.visible_contests(request.user), pk=pk)
        try:
            attempt = services.start_or_resume(contest, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect("learning:contest_list")
        return redirect("learning:attempt", pk=attempt.pk)


class OwnAttemptMixin(LoginRequiredMixin):
    def get_attempt(self) -> Attempt:
        try:
            return selectors.own_attempt(self.request.user, self.kwargs["pk"])
        except Attempt.DoesNotExist:
            raise Http404 from None


class AttemptView(OwnAttemptMixin, TemplateView):
    """One question per screen on a phone (with script), the whole paper as one form without."""

    template_name = "learning/attempt.html"

    def get_context_data(self, **kwargs):
        attempt = self.get_attempt()
        view = selectors.attempt_view(attempt)
        for question in view["questions"]:
            question["saved"] = view["answers"].get(str(question["id"]))
            if "review" in view:
                question["review"] = view["review"][str(question["id"])]
        return super().get_context_data(attempt=attempt, paper=view, **kwargs)

    def post(self, request, pk: int):
        attempt = self.get_attempt()
        view = selectors.attempt_view(attempt)
        try:
            if attempt.is_open:
                services.save_answers(
                    attempt, actor=request.user, answers=answers_from_post(view["questions"], request.POST)
                )
            if "finish" in request.POST:
                services.finish_attempt(attempt, actor=request.user)
                messages.success(request, _("Your attempt has been submitted."))
            else:
                messages.success(request, _("Your answers are saved."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("learning:attempt", pk=pk)


class LeaderboardView(LoginRequiredMixin, TemplateView):
    template_name = "learning/leaderboard.html"

    def get_context_data(self, **kwargs):
        contest = get_object_or_404(selectors.visible_contests(self.request.user), pk=self.kwargs["pk"])
        within = self.request.GET.get("within", "")
        organisation = self.request.GET.get("organisation", "")
        rows = selectors.leaderboard(contest, within=within, organisation=organisation)
        if rows is None:
            raise Http404
        page = Paginator(rows, 50).get_page(self.request.GET.get("page"))
        for rank, row in enumerate(page.object_list, start=page.start_index()):
            row.rank = rank
        return super().get_context_data(
            contest=contest,
            page=page,
            within=within,
            organisation=organisation,
            communes=selectors.leaderboard_communes(contest),
            organisations=Organisation.objects.filter(
                pk__in=contest.participations.exclude(organisation=None).values("organisation")
            ).order_by("name"),
            unit=Unit.objects.filter(code=within).order_by("-valid_from").first() if within else None,
            **kwargs,
        )


class ParticipationReportView(LoginRequiredMixin, TemplateView):
    """Participation per unit and organisation (people, attempts), within the reader's units; ?export=xlsx."""

    template_name = "learning/report.html"

    def get(self, request, *args, **kwargs):
        if not request.user.has_perm("learning.view_participation"):
            raise PermissionDenied
        contest = get_object_or_404(selectors.visible_contests(request.user), pk=kwargs["pk"])
        rows = Participation.objects.restrict(request.user, "view").filter(contest=contest)
        report = participation_report(contest, rows)
        if request.GET.get("export") == "xlsx":
            response = HttpResponse(report_workbook(report), content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="tham-gia-cuoc-thi-{contest.pk}.xlsx"'
            return response
        return self.render_to_response(self.get_context_data(report=report, contest=contest))
