"""Pages: filing (phone first, kept as a draft when offline), my reports, the office's inbox and a report's
page with its actions, statistics with an Excel export. Every change goes through services."""

import datetime
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.access import home_unit
from tinhso.core.files import XLSX, download_response, stored_file_response

from . import attributes, forms, photos, services, statistics
from .choices import WAITING, Status
from .models import Photo, Report

PAGE_SIZE = 30


def visible_reports(user):
    """The reports `user` may open: those routed to their units, and their own (sent or filed for someone)."""
    if not user.is_authenticated:
        return Report.objects.none()
    scoped = Report.objects.restrict(user, "view").values("pk")
    return Report.objects.filter(Q(pk__in=scoped) | Q(reporter=user.pk) | Q(assisted_by=user.pk))


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages_ in error.message_dict.values() for message in messages_]
    return list(error.messages)


@login_required
def home(request):
    if request.user.has_perm("feedback.answer_report"):
        return redirect("feedback:inbox")
    return redirect("feedback:mine")


def _commune_of(user):
    unit = home_unit(user, "units.view_unit")
    while unit is not None and unit.level not in ("commune",):
        unit = unit.parent if unit.level == "village" else None
    return unit


@login_required
def report_add(request):
    """The report form. On a phone, core/offline-form.js sends it with Accept: application/json and reads the
    answer: 201 (or 200 for a resent key) with the report's address, 400 with the errors by field, 403, or 409
    for a key already used with other details. Without JavaScript it is a plain form: refused input comes back
    as the form with what was typed, the errors next to their fields, and 400."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    can_assist = request.user.has_perm("feedback.assist_report")
    commune = _commune_of(request.user)
    form = forms.ReportForm(request.POST or None, request.FILES or None, commune=commune, can_assist=can_assist)
    attribute_errors: dict[str, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        try:
            report, created = _file_from(request, form)
        except ValidationError as error:
            if wants_json:
                return JsonResponse(getattr(error, "message_dict", {"__all__": error.messages}), status=400)
            attribute_errors = _add_errors(form, error)
        except (PermissionDenied, services.DuplicateSubmission) as error:
            detail = str(error) or _("This report could not be sent.")
            if wants_json:
                return JsonResponse({"detail": detail}, status=403 if isinstance(error, PermissionDenied) else 409)
            form.add_error(None, detail)
        else:
            return _filed(request, report, created, wants_json)
    if request.method == "POST" and wants_json:
        return JsonResponse(form.errors.get_json_data(), status=400)
    categories = list(form.fields["service"].queryset)
    chosen = form["service"].value() if request.method == "POST" else (categories[0].pk if categories else None)
    chosen_code = next((each.code for each in categories if str(each.pk) == str(chosen)), "")
    sets = forms.attribute_sets(categories, request.POST or None, attribute_errors, chosen_code)
    context = {
        "form": form,
        "attribute_sets": sets,
        "service_codes": json.dumps({str(each.pk): each.code for each in categories}),
        "draft_fields": " ".join(
            ["service place latitude longitude address description idempotency_key"] + forms.draft_names(sets)
        ),
        "title": _("Send a report"),
    }
    return render(request, "feedback/report_form.html", context, status=400 if request.method == "POST" else 200)


def _file_from(request, form):
    values = dict(form.cleaned_data)
    key = values.pop("idempotency_key")
    values.pop("photos", None)
    # Only the chosen category's questions: the page holds every category's, the others disabled.
    codes = {question["code"] for question in attributes.questions(values["service"])}
    answers = {code: value for code, value in attributes.from_form(request.POST).items() if code in codes}
    return services.submit_report(
        actor=request.user,
        photos=request.FILES.getlist("photos"),
        attributes=answers,
        idempotency_key=key,
        **values,
    )


def _add_errors(form, error: ValidationError) -> dict[str, list[str]]:
    """The service's refusal next to the fields it names; the attributes' errors returned by name."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    attribute_errors = {}
    for field, texts in by_field.items():
        if field and field.startswith("attribute["):
            attribute_errors[field] = texts
            continue
        for text in texts:
            form.add_error(field if field in form.fields else None, text)
    return attribute_errors


def _filed(request, report, created: bool, wants_json: bool):
    sent = _("Your report #%(number)s was sent.") % {"number": report.pk}
    notice = "" if report.service.is_public else services.private_notice()
    messages.success(request, f"{sent} {notice}".strip())
    if wants_json:
        url = reverse("feedback:report_detail", args=[report.pk])
        return JsonResponse({"id": report.pk, "url": url, "notice": notice}, status=201 if created else 200)
    return redirect("feedback:report_detail", pk=report.pk)


@login_required
def mine(request):
    reports = (
        Report.objects.filter(Q(reporter=request.user.pk) | Q(assisted_by=request.user.pk))
        .select_related("service", "routed_to", "place")
        .order_by("-submitted_at", "-id")
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feedback/mine.html", {"page": page, "title": _("My reports")})


@permission_required("feedback.view_report", raise_exception=True)
def map_page(request):
    """The open reports routed to the reader's units at their exact points; overdue in red."""
    from . import maps

    rows = maps.open_points(Report.objects.restrict(request.user, "view"))
    title = _("Open reports")
    context = {"svg": maps.svg_map(maps.office_points(rows), title=title), "count": len(rows), "title": title}
    return render(request, "feedback/map.html", context)


@permission_required("feedback.view_report", raise_exception=True)
def inbox(request):
    reports = Report.objects.restrict(request.user, "view").select_related("service", "routed_to", "place")
    status = request.GET.get("status", "waiting")
    today = timezone.localdate()
    if status == "waiting":
        reports = reports.filter(status__in=WAITING)
    elif status == "overdue":
        reports = reports.filter(status__in=WAITING, deadline__lt=today)
    elif status in Status.values:
        reports = reports.filter(status=status)
    page = Paginator(reports.order_by("deadline", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": Status.choices,
        "today": today,
        "title": _("Reports to answer"),
    }
    return render(request, "feedback/inbox.html", context)


def _report_for(request, pk) -> Report:
    return get_object_or_404(visible_reports(request.user).select_related("service", "routed_to", "place"), pk=pk)


@login_required
def report_detail(request, pk):
    report = _report_for(request, pk)
    return render(request, "feedback/report_detail.html", _detail_context(request, report))


def _detail_context(request, report: Report, *, action: str = "", form=None) -> dict:
    """The report page; `form`, bound and refused, replaces the empty form of `action` (errors in place)."""
    is_office = Report.objects.restrict(request.user, "view").filter(pk=report.pk).exists()
    is_reporter = report.reporter_id == request.user.pk
    events = report.events.select_related("organisation", "actor")
    if not is_office:
        events = events.exclude(kind__in=("note", "routed", "transferred"))
    context = {
        "report": report,
        "title": _("Report #%(number)s") % {"number": report.pk},
        "events": events,
        "photos": report.photos.all(),
        "answers": attributes.shown(report.service, report.attributes),
        "private_notice": services.private_notice(),
        "is_office": is_office,
        "is_reporter": is_reporter,
        "shows_contact": is_reporter or not report.is_anonymous,
        "overdue": report.status in WAITING and report.deadline < timezone.localdate(),
    }
    if is_office:
        context.update(
            answer_form=forms.AnswerForm(),
            transfer_form=forms.TransferForm(),
            close_form=forms.ReasonForm(),
            note_form=forms.NoteForm(),
            moderate_form=forms.ModerateForm(
                initial={"public_text": report.public_text, "is_public": report.is_public}
            ),
        )
    context["place_actions"] = _place_actions(request.user, report) if is_office else []
    if is_reporter:
        context.update(rate_form=forms.RateForm(initial={"rating": report.rating}), reopen_form=forms.ReasonForm())
    if form is not None and f"{action}_form" in context:
        context[f"{action}_form"] = form
    return context


ACTIONS = {
    "answer": (forms.AnswerForm, lambda report, user, data: services.answer_report(report, actor=user, **data)),
    "transfer": (forms.TransferForm, lambda report, user, data: services.transfer_report(report, actor=user, **data)),
    "close": (forms.ReasonForm, lambda report, user, data: services.close_report(report, actor=user, **data)),
    "note": (forms.NoteForm, lambda report, user, data: services.add_note(report, actor=user, **data)),
    "moderate": (forms.ModerateForm, lambda report, user, data: services.moderate_report(report, actor=user, **data)),
    "rate": (forms.RateForm, lambda report, user, data: services.rate_report(report, actor=user, **data)),
    "reopen": (forms.ReasonForm, lambda report, user, data: services.reopen_report(report, actor=user, **data)),
    "start": (None, lambda report, user, data: services.start_handling(report, actor=user)),
}


@login_required
@require_POST
def report_action(request, pk, action):
    """Done: back to the report (or the inbox when it left the officer's units). Refused: the report page
    again with the form as typed and the Vietnamese errors next to its fields, 400 (403 when not allowed)."""
    if action not in ACTIONS:
        raise Http404
    report = _report_for(request, pk)
    form_class, perform = ACTIONS[action]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _refused(request, report, action, form, status=400)
    try:
        perform(report, request.user, form.cleaned_data if form is not None else {})
    except ValidationError as error:
        # A field's error next to the field; a refusal of the whole action (answered already...) on top.
        by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, texts in by_field.items():
            for text in texts:
                if form is not None and field in form.fields:
                    form.add_error(field, text)
                else:
                    messages.error(request, text)
        return _refused(request, report, action, form, status=400)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
        return _refused(request, report, action, form, status=403)
    messages.success(request, _("Saved."))
    if not visible_reports(request.user).filter(pk=report.pk).exists():
        return redirect("feedback:inbox")  # transferred out of the officer's units
    return redirect("feedback:report_detail", pk=report.pk)


def _refused(request, report: Report, action: str, form, *, status: int):
    report = _report_for(request, report.pk)  # as stored: nothing was written
    context = _detail_context(request, report, action=action, form=form)
    if form is not None and f"{action}_form" not in context:  # a form the page does not hold (a button)
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
    return render(request, "feedback/report_detail.html", context, status=status)


def _place_actions(user, report: Report) -> list:
    """What other modules offer on the report's place (a radio emergency for a landslide...), through the
    core registry: only for the categories of FEEDBACK_EMERGENCY_CATEGORIES, a report still waiting, a
    known point, and an officer holding the action's permission."""
    from django.conf import settings

    from tinhso.core import place_actions

    if report.service.code not in settings.FEEDBACK_EMERGENCY_CATEGORIES or report.status not in WAITING:
        return []
    if _point(report) is None:
        return []
    return place_actions.available_to(user)


def _point(report: Report):
    if report.latitude is not None and report.longitude is not None:
        return report.latitude, report.longitude
    if report.place_id and report.place.latitude is not None and report.place.longitude is not None:
        return report.place.latitude, report.place.longitude
    return None


@login_required
@require_POST
def place_action(request, pk, code):
    """Start a registered place action on the report's point; the module that owns it takes over on its page."""
    report = _report_for(request, pk)
    if not Report.objects.restrict(request.user, "view").filter(pk=report.pk).exists():
        raise Http404
    action = next((each for each in _place_actions(request.user, report) if each.code == code), None)
    if action is None:
        raise PermissionDenied(_("This action is not available for this report."))
    latitude, longitude = _point(report)
    place = report.place.name if report.place_id else ""
    title = f"{report.service.name}: {place}" if place else report.service.name
    try:
        address = action(request.user, latitude=latitude, longitude=longitude, title=title, text=report.public_text)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
        return redirect("feedback:report_detail", pk=report.pk)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
        return redirect("feedback:report_detail", pk=report.pk)
    services.record_place_action(report, actor=request.user, label=str(action.label), address=address)
    return redirect(address)


def _period(request) -> tuple[datetime.date, datetime.date]:
    """A year (`?year=`), or one month of it (`&month=1..12`)."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), today.year + 1)
    month = request.GET.get("month", "")
    if month.isdigit() and 1 <= int(month) <= 12:
        first = datetime.date(year, int(month), 1)
        following = datetime.date(year + (first.month == 12), first.month % 12 + 1, 1)
        return first, following - datetime.timedelta(days=1)
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


@permission_required("feedback.view_statistics", raise_exception=True)
def statistics_page(request):
    start, end = _period(request)
    result = statistics.figures(request.user, start, end, getattr(request, "as_of", None))
    if request.GET.get("format") == "xlsx":
        return download_response(statistics.workbook(result), f"phan-anh-{start.year}.xlsx", XLSX)
    if request.GET.get("format") == "pdf":
        unit = home_unit(request.user, "feedback.view_statistics")
        if unit is None:
            raise PermissionDenied(_("You may not do this."))
        pdf = statistics.report_pdf(result, unit)
        return download_response(pdf, f"bao-cao-phan-anh-{start:%Y-%m}.pdf", "application/pdf")
    context = {
        "result": result,
        "headings": statistics.headings(),
        "year": start.year,
        "month": request.GET.get("month", "") if start.month == end.month else "",
        "months": range(1, 13),
        "years": list(range(timezone.localdate().year, 2019, -1)),
        "title": _("Statistics of citizen reports"),
    }
    return render(request, "feedback/statistics.html", context)


@login_required
def photo(request, pk):
    found = Photo.objects.filter(pk=pk, report__in=visible_reports(request.user)).first()
    if found is None or not found.is_ready:
        raise Http404
    return stored_file_response(photos.copy_name(found, request.GET.get("size", "")), content_type="image/jpeg")
