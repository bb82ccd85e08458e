"""Pages for participants (contest list, attempt, leaderboard): thin, every change through services."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from tinhso.core.files import XLSX, download_response, stored_file_response
from tinhso.units.models import Organisation, Unit

from . import certificates, citizens, selectors, services
from .choices import AttemptStatus, Purpose, Review
from .forms import answers_from_post
from .models import Attempt, Certificate, Contest, ContestCertificate, LearnerLevel, Participation, Question
from .reports import level_report, level_workbook, participation_report, report_workbook, winners


class ContestListView(LoginRequiredMixin, TemplateView):
    template_name = "learning/contest_list.html"

    def get_context_data(self, **kwargs):
        contests = list(
            selectors.visible_contests(self.request.user)
            .filter(purpose=Purpose.CONTEST)
            .prefetch_related("pools")
            .order_by("-opens_at")
        )
        mine = Attempt.objects.filter(user=self.request.user, contest__in=contests)
        used = {}
        for attempt in mine:
            used.setdefault(attempt.contest_id, []).append(attempt)
        for contest in contests:
            contest.my_attempts = used.get(contest.pk, [])
            contest.open_attempt = next((a for a in contest.my_attempts if a.status == AttemptStatus.OPEN), None)
            contest.may_enter = contest.is_published and services.is_eligible(contest, self.request.user)
        return super().get_context_data(contests=contests, now=timezone.now(), **kwargs)


class ContestView(TemplateView):
    """The link an organiser shares: a published contest to anyone, anonymous too (a light page with nothing
    personal and no cookie, so a proxy may keep it), and to a logged-in person what they may do in it."""

    def get(self, request, *args, **kwargs):
        try:
            contest = selectors.public_contest(request.user, kwargs["pk"])
        except Contest.DoesNotExist:
            raise Http404(_("No published contest has this link.")) from None
        context = self.get_context_data(contest=contest, **contest_facts(contest))
        if not request.user.is_authenticated:
            response = render(request, "learning/contest_public.html", context)
            patch_cache_control(response, public=True, max_age=60)
            return response
        context.update(self.personal(contest))
        response = render(request, "learning/contest.html", context)
        patch_cache_control(response, private=True, no_cache=True)
        return response

    def personal(self, contest: Contest) -> dict:
        user = self.request.user
        attempts = list(Attempt.objects.filter(contest=contest, user=user).order_by("number"))
        participation = contest.participations.filter(user=user, finished_at__isnull=False).first()
        can_change = Contest.objects.restrict(user, "change").filter(pk=contest.pk).exists()
        return {
            "attempts": attempts,
            "attempts_left": max(0, contest.attempts_allowed - len(attempts)),
            "open_attempt": next((a for a in attempts if a.status == AttemptStatus.OPEN), None),
            "refusal": selectors.why_not_eligible(contest, user),
            "participation": participation,
            "can_change": can_change,
            "share_url": self.request.build_absolute_uri(reverse("learning:contest", args=[contest.pk])),
        }


def contest_facts(contest: Contest) -> dict:
    """What everyone may read of a contest: its state and its rules in plain words."""
    status = selectors.contest_status(contest)
    return {
        "status": status,
        "who": selectors.who_may_take_part(contest),
        "results_public": status == selectors.CLOSED and contest.review != Review.NOTHING,
    }


class AttemptStartView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        contest = get_object_or_404(selectors.visible_contests(request.user), pk=pk)
        try:
            attempt = services.start_or_resume(contest, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect("learning:contest", pk=contest.pk)
        return redirect("learning:attempt", pk=attempt.pk)


class OwnAttemptMixin(LoginRequiredMixin):
    def get_attempt(self) -> Attempt:
        try:
            return selectors.own_attempt(self.request.user, self.kwargs["pk"])
        except Attempt.DoesNotExist:
            raise Http404 from None


class AttemptQuestionImageView(OwnAttemptMixin, View):
    """A question's image to the participant of an attempt whose paper holds it (the attempt exists only once
    started, so the picture is never out before the start)."""

    def get(self, request, pk: int, question: int):
        attempt = self.get_attempt()
        if question not in {entry["id"] for entry in attempt.questions}:
            raise Http404
        image = get_object_or_404(Question, pk=question).image
        if not image:
            raise Http404
        return stored_file_response(image.name, content_type="image/jpeg", storage=image.storage)


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
            finished=contest.participations.filter(user=self.request.user, finished_at__isnull=False).exists(),
            can_print=Contest.objects.restrict(self.request.user, "change").filter(pk=contest.pk).exists(),
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
            workbook = report_workbook(report, winners(rows))
            return download_response(workbook, f"tham-gia-cuoc-thi-{contest.pk}.xlsx", XLSX)
        can_print = Contest.objects.restrict(request.user, "change").filter(pk=contest.pk).exists()
        return self.render_to_response(self.get_context_data(report=report, contest=contest, can_print=can_print))


class LearnerLevelReportView(LoginRequiredMixin, TemplateView):
    """Learners per level in each competence domain within the officer's units (placement results); ?export=xlsx."""

    template_name = "learning/levels.html"

    def get(self, request, *args, **kwargs):
        if not request.user.has_perm("learning.view_learnerlevel"):
            raise PermissionDenied
        report = level_report(LearnerLevel.objects.restrict(request.user, "view"))
        if request.GET.get("export") == "xlsx":
            return download_response(level_workbook(report), "trinh-do-nang-luc-so.xlsx", XLSX)
        numbers = [row.domain for row in report.rows]
        chosen = request.GET.get("domain", "") or str(numbers[0] if numbers else 0)
        if not chosen.isdigit() or int(chosen) not in numbers:
            # A hand-edited or stale link: say so on the page rather than guess a domain.
            context = self.get_context_data(
                report=report, units=[], error=_("Choose a competence domain of the framework.")
            )
            return self.render_to_response(context, status=400)
        domain = int(chosen)
        units = [(unit, next(row for row in unit.rows if row.domain == domain)) for unit in report.units]
        return self.render_to_response(self.get_context_data(report=report, domain=domain, units=units))


class CertificatePdfView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        certificate = get_object_or_404(Certificate.objects.select_related("user", "unit__parent"), pk=pk)
        if certificate.user_id != request.user.pk and not request.user.has_perm(
            "learning.view_certificate", certificate
        ):
            raise Http404
        url = request.build_absolute_uri(citizens.verification_path(certificate))
        pdf = citizens.certificate_pdf(certificate, url)
        return download_response(pdf, f"cong-dan-so-{certificate.pk}.pdf", "application/pdf", inline=True)


class CertificateVerifyView(TemplateView):
    """Public: anyone who scans the QR sees whether the certificate is genuine (no login)."""

    template_name = "learning/certificate_verify.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context, status=200 if context["certificate"] else 404)

    def get_context_data(self, **kwargs):
        certificate = Certificate.objects.select_related("user", "unit__parent").filter(code=kwargs["code"]).first()
        return super().get_context_data(certificate=certificate, **kwargs)


def pdf_response(documents: list, filename: str) -> HttpResponse:
    return download_response(certificates.pdf(documents), filename, "application/pdf", inline=True)


class ContestCertificatePdfView(LoginRequiredMixin, View):
    """A participant's own certificate of a contest they finished (404 before that): issued the first time,
    the same certificate (same code) when printed again."""

    def get(self, request, pk: int):
        contest = get_object_or_404(selectors.visible_contests(request.user), pk=pk)
        participation = get_object_or_404(
            Participation.objects.select_related("contest__unit", "user", "unit").filter(finished_at__isnull=False),
            contest=contest,
            user=request.user,
        )
        try:
            certificate = services.issue_contest_certificate(
                participation, actor=request.user, rank=certificates.rank_of(participation)
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("learning:contest", pk=contest.pk)
        document = certificates.contest_document(certificate, verify_url(request, certificate))
        return pdf_response([document], f"chung-nhan-{contest.pk}-{certificate.pk}.pdf")


def verify_url(request, certificate) -> str:
    return request.build_absolute_uri(certificates.verification_path(certificate))


class WinnersCertificatesPdfView(LoginRequiredMixin, View):
    """The organiser prints every winner's certificate (the Excel winners sheet's rows) in one PDF; a winner
    whose certificate of that result was revoked is left out."""

    def get(self, request, pk: int):
        contest = get_object_or_404(Contest.objects.restrict(request.user, "change"), pk=pk)
        if not request.user.has_perm("learning.add_contestcertificate", contest):
            raise Http404
        best = winners(Participation.objects.filter(contest=contest, finished_at__isnull=False))
        documents = []
        for rank, row in enumerate(best, 1):
            try:
                certificate = services.issue_contest_certificate(row, actor=request.user, rank=rank)
            except ValidationError:
                continue
            documents.append(certificates.contest_document(certificate, verify_url(request, certificate)))
        if not documents:
            raise Http404(_("Nobody has finished this contest yet."))
        return pdf_response(documents, f"chung-nhan-giai-{contest.pk}.pdf")


class ContestCertificateListView(LoginRequiredMixin, TemplateView):
    """The organiser's list of a contest's certificates, each with its state and, for him, "Thu hồi"."""

    template_name = "learning/contest_certificates.html"

    def get_context_data(self, **kwargs):
        if not self.request.user.has_perm("learning.view_contestcertificate"):
            raise PermissionDenied
        contest = get_object_or_404(Contest.objects.restrict(self.request.user, "view"), pk=self.kwargs["pk"])
        rows = ContestCertificate.objects.restrict(self.request.user, "view").filter(contest=contest)
        page = Paginator(rows.select_related("issued_by", "revoked_by").order_by("-issued_at", "-pk"), 50)
        return super().get_context_data(
            contest=contest,
            page=page.get_page(self.request.GET.get("page")),
            can_revoke=self.request.user.has_perm("learning.change_contestcertificate", contest),
            **kwargs,
        )


class ContestCertificateRevokeView(LoginRequiredMixin, View):
    """POST only: the organiser revokes a certificate of a contest of his units, with a reason."""

    def post(self, request, pk: int):
        certificate = get_object_or_404(ContestCertificate.objects.restrict(request.user, "change"), pk=pk)
        try:
            services.revoke_contest_certificate(
                certificate, actor=request.user, reason=request.POST.get("reason", "")[:1000]
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("The certificate has been revoked."))
        return redirect("learning:contest_certificates", pk=certificate.contest_id)


class ContestCertificateRestoreView(LoginRequiredMixin, View):
    """POST only: the organiser takes back a revocation made in error."""

    def post(self, request, pk: int):
        certificate = get_object_or_404(ContestCertificate.objects.restrict(request.user, "change"), pk=pk)
        try:
            services.restore_contest_certificate(certificate, actor=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("The certificate is valid again."))
        return redirect("learning:contest_certificates", pk=certificate.contest_id)


class ContestCertificateVerifyView(TemplateView):
    """Public: who finished which contest with which score (and place), or that the certificate was revoked;
    nothing private. Unknown or forged code → 404."""

    template_name = "learning/contest_certificate_verify.html"

    def get(self, request, *args, **kwargs):
        found = certificates.verify(kwargs["code"])
        context = self.get_context_data(certificate=found, **kwargs)
        return self.render_to_response(context, status=404 if found is None else 410 if found.revoked_at else 200)
