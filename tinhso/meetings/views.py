"""Pages of meetings: my bodies' meetings, create from the template, the meeting page (agenda, documents,
notices, live attendance and quorum, minutes and resolution, decisions and their progress), check-in with a
QR code, the calendar invitation, documents, and the handbook rollout dashboard."""

import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from tinhso.core.files import download_response, stored_file_response
from tinhso.core.qr import qr_svg
from tinhso.core.text import short_date

from . import ics, rollout, services
from .access import (
    can_manage,
    managed_bodies,
    may_read_document,
    membership,
    people_for,
    unit_standing_for,
    visible_meetings,
)
from .choices import AttendanceStatus, DocumentAccess, MeetingMode, MeetingStatus, RecordKind
from .forms import DecisionForm, EndMemberForm, MeetingForm, MemberForm
from .models import Body, Document, Meeting, Record
from .rollout import BEFORE_REFORM


def _meeting(request, pk) -> Meeting:
    return get_object_or_404(visible_meetings(request.user).select_related("body__unit"), pk=pk)


class MeetingListView(LoginRequiredMixin, TemplateView):
    template_name = "meetings/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, now = self.request.user, timezone.now()
        mine = visible_meetings(user).select_related("body")
        context.update(
            upcoming=list(mine.filter(ends_at__gte=now).order_by("starts_at")[:30]),
            past=list(mine.filter(ends_at__lt=now).order_by("-starts_at")[:12]),
            bodies=list(managed_bodies(user).order_by("name")[:30]),
            can_see_rollout=user.has_perm("meetings.view_cellrollout"),
        )
        return context


def _agenda_lines(text: str) -> list[tuple[str, str, None]]:
    return [(line.strip()[:300], "", None) for line in (text or "").splitlines() if line.strip()]


@login_required
def create_view(request):
    bodies = list(managed_bodies(request.user).order_by("name"))
    chosen = request.POST.get("body") if request.method == "POST" else request.GET.get("body")
    if not bodies:
        raise Http404
    # A body named that the user does not run is not there (404): never a meeting of another of their bodies.
    body = next((b for b in bodies if str(b.pk) == str(chosen)), None) if chosen else bodies[0]
    if body is None:
        raise Http404
    if request.method == "POST":
        form = MeetingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting_data = services.MeetingData(
                    title=data["title"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    place=data["place"],
                    online_link=data["online_link"],
                    mode=data["mode"],
                )
                meeting = services.create_series(
                    body,
                    actor=request.user,
                    data=meeting_data,
                    months=data["repeat"] or 1,
                    skip=data["skip"],
                    agenda=_agenda_lines(data["agenda"]),
                )[0]
            except ValidationError as error:
                _form_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The meeting is created. Add its documents, then send the notice."))
                return redirect(meeting)
    else:
        today = timezone.localdate()
        day = _next_month_day(today)
        initial = services.from_template(body, day)
        initial["agenda"] = "\n".join(initial["agenda"])
        initial["starts_at"] = timezone.localtime(initial["starts_at"]).strftime("%Y-%m-%dT%H:%M")
        initial["ends_at"] = timezone.localtime(initial["ends_at"]).strftime("%Y-%m-%dT%H:%M")
        form = MeetingForm(initial=initial)
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/create.html", {"form": form, "bodies": bodies, "body": body}, status=status)


def _next_month_day(today: datetime.date) -> datetime.date:
    """Regular meetings fall on the 3rd of the month: the next 3rd that is still ahead."""
    day = today.replace(day=3)
    if day <= today:
        day = (today.replace(day=28) + datetime.timedelta(days=7)).replace(day=3)
    return day


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, texts in error.message_dict.items():
            form.add_error(field if field in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


class MeetingDetailView(LoginRequiredMixin, TemplateView):
    template_name = "meetings/detail.html"

    def get(self, request, *args, **kwargs):
        self.meeting = _meeting(request, kwargs["pk"])
        services.mark_notice_read(self.meeting, request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting, user = self.meeting, self.request.user
        manager = can_manage(user, meeting.body)
        documents = [
            (doc, may_read_document(user, doc))
            for doc in meeting.documents.select_related("agenda_item").annotate(readers=Count("reads"))
        ]
        records = {record.kind: record for record in meeting.records.all()}
        decisions = list(meeting.decisions.select_related("owner", "work_item"))
        invited = list(services.invited_members(meeting)) if manager else []
        context.update(
            meeting=meeting,
            manager=manager,
            standing=unit_standing_for(meeting.body),
            agenda=list(meeting.agenda.all()),
            documents=[(doc, readable) for doc, readable in documents if readable],
            notices=services.notice_states(meeting) if manager else [],
            my_notice=services.current_notice(meeting, user),
            summary=services.attendance_summary(meeting),
            minutes=records.get(RecordKind.MINUTES),
            resolution=records.get(RecordKind.RESOLUTION),
            decisions=decisions,
            invited=invited,
            statuses=AttendanceStatus.choices,
            accesses=DocumentAccess.choices,
            modes=MeetingMode.choices,
            decision_form=DecisionForm(),
            ics_token=ics.invite_token(meeting, user),
            is_open=meeting.status == MeetingStatus.PLANNED,
        )
        return context


def attendance_fragment(request, pk):
    meeting = _meeting(request, pk)
    return render(
        request, "meetings/_attendance.html", {"meeting": meeting, "summary": services.attendance_summary(meeting)}
    )


def _upload(request, name):
    return request.FILES.get(name)


def _user_of(meeting, raw):
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None
    return get_user_model().objects.filter(pk=pk, body_memberships__body=meeting.body).distinct().first()


def _data_from(request, meeting) -> services.MeetingData:
    form = MeetingForm(request.POST)
    if not form.is_valid():
        raise ValidationError(" ".join(str(text) for texts in form.errors.values() for text in texts))
    data = form.cleaned_data
    return services.MeetingData(
        title=data["title"],
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        place=data["place"],
        online_link=data["online_link"],
        mode=data["mode"],
    )


def _reschedule(request, meeting):
    """A new time or place: a new revision, and the members are told again at once."""
    services.reschedule(meeting, actor=request.user, data=_data_from(request, meeting))
    return services.send_notices(meeting, actor=request.user)


def _decision(request, meeting):
    form = DecisionForm(request.POST)
    if not form.is_valid():
        raise ValidationError(" ".join(str(text) for texts in form.errors.values() for text in texts))
    data = form.cleaned_data
    return services.add_decision(
        meeting,
        actor=request.user,
        title=data["title"],
        owner=_user_of(meeting, data["owner"]),
        deadline=data["deadline"],
        expected_output=data["expected_output"],
        resources=data["resources"],
        coordination=data["coordination"],
    )


def _record(request, meeting):
    return services.save_record(
        meeting,
        actor=request.user,
        kind=request.POST.get("kind", ""),
        text=request.POST.get("text", ""),
        number=request.POST.get("number", ""),
        scan=_upload(request, "scan"),
    )


def _publish(request, meeting):
    record = get_object_or_404(Record, meeting=meeting, kind=request.POST.get("kind", ""))
    return services.publish_record(record, actor=request.user)


def _attach(request, meeting):
    raw = request.POST.get("document", "")
    pk = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None  # "abc", "1e3", "²": not there
    document = get_object_or_404(Document, meeting=meeting, pk=pk)
    return services.attach_file(document, actor=request.user, file=_upload(request, "file"))


ACTIONS = {
    "notify": lambda r, m: services.send_notices(m, actor=r.user),
    "confirm": lambda r, m: services.answer_notice(m, actor=r.user, attend=True),
    "excuse": lambda r, m: services.answer_notice(m, actor=r.user, attend=False, reason=r.POST.get("reason", "")),
    "cancel": lambda r, m: services.cancel(m, actor=r.user, reason=r.POST.get("reason", "")),
    "close": lambda r, m: services.close(m, actor=r.user),
    "reschedule": _reschedule,
    "agenda": lambda r, m: services.add_agenda_item(
        m, actor=r.user, title=r.POST.get("title", ""), presenter=r.POST.get("presenter", "")
    ),
    "document": lambda r, m: services.add_document(
        m,
        actor=r.user,
        title=r.POST.get("title", ""),
        number=r.POST.get("number", ""),
        access=r.POST.get("access", "members"),
        confidential=r.POST.get("confidential") == "on",
        file=_upload(r, "file"),
    ),
    "attach": _attach,
    "tick": lambda r, m: services.check_in(
        m,
        actor=r.user,
        user=_user_of(m, r.POST.get("user")),
        status=r.POST.get("status", ""),
        reason=r.POST.get("reason", ""),
    ),
    "number": lambda r, m: services.check_in(m, actor=r.user, member_number=r.POST.get("member_number", "")),
    "record": _record,
    "publish": _publish,
    "decision": _decision,
}


@require_POST
def meeting_action(request, pk, action):
    if not request.user.is_authenticated or action not in ACTIONS:
        raise Http404
    meeting = _meeting(request, pk)
    try:
        ACTIONS[action](request, meeting)
    except ValidationError as error:
        return _refused(request, meeting, " ".join(error.messages), 400)
    except PermissionDenied as error:
        return _refused(request, meeting, str(error), 403)
    messages.success(request, _("Saved."))
    return redirect(meeting)


def _refused(request, meeting, text: str, status: int):
    """A refused action answers its 4xx with the meeting page and the reason on it (nothing was written, and
    opening the page this way reads no notice)."""
    messages.error(request, text)
    page = MeetingDetailView(request=request, kwargs={"pk": meeting.pk})
    page.meeting = meeting
    return render(request, page.template_name, page.get_context_data(), status=status)


@login_required
def checkin_view(request, pk):
    """The secretary shows the QR code on a screen; a member who scans it lands here with the code and confirms."""
    meeting = _meeting(request, pk)
    code = request.POST.get("code") or request.GET.get("code") or ""
    if request.method == "POST":
        try:
            services.check_in(meeting, actor=request.user, code=code)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("You are checked in. Welcome."))
        return redirect(reverse("meetings:checkin", args=[meeting.pk]))
    context = {"meeting": meeting, "code": code, "summary": services.attendance_summary(meeting)}
    if can_manage(request.user, meeting.body) and not code:
        fresh = services.checkin_code(meeting)
        target = request.build_absolute_uri(reverse("meetings:checkin", args=[meeting.pk])) + "?code=" + fresh
        context.update(qr=qr_svg(target, scale=5, title=_("Check-in code")), target=target)
    context["attendance"] = membership(request.user, meeting.body, timezone.localtime(meeting.starts_at).date())
    return render(request, "meetings/checkin.html", context)


def invite_ics(request, pk):
    """The invitation for a calendar app: with a session (a member or an officer), or the member's token link."""
    meeting = None
    token = request.GET.get("token")
    if token:
        found = ics.read_token(token)
        if found and found[0] == pk:
            candidate = Meeting.objects.select_related("body").filter(pk=pk).first()
            user = get_user_model().objects.filter(pk=found[1], is_active=True).first()
            if candidate and user and candidate.body.members.filter(user=user).exists():
                meeting = candidate
    elif request.user.is_authenticated:
        meeting = visible_meetings(request.user).select_related("body").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    invitation = ics.invitation(meeting, url=request.build_absolute_uri(meeting.get_absolute_url()))
    return download_response(invitation, f"hop-{meeting.pk}.ics", "text/calendar; charset=utf-8")


@login_required
def document_view(request, pk):
    """A document's page (the target of its QR code): the file for those entitled; a confidential one is
    never served, on any route — the page says it is on paper only."""
    document = (
        Document.objects.select_related("meeting__body")
        .filter(meeting__in=visible_meetings(request.user), pk=pk)
        .first()
    )
    if document is None or not may_read_document(request.user, document):
        # the target of a document's QR code: a polite page for those not entitled, with the status of "not there"
        return render(request, "meetings/document_refused.html", status=404)
    services.record_read(document, request.user)
    if document.confidential or not document.file or request.GET.get("download") != "1":
        context = {"document": document}
        if can_manage(request.user, document.meeting.body):
            target = request.build_absolute_uri(document.get_absolute_url())
            context["qr"] = qr_svg(target, scale=4, title=_("Document QR code"))
            context["reads"] = document.reads.select_related("user").order_by("-count")
        return render(request, "meetings/document.html", context)
    return stored_file_response(document.file.name, download_name=f"{document.title}{_suffix(document)}")


def _suffix(document) -> str:
    name = document.file.name
    return "." + name.rsplit(".", 1)[-1] if "." in name.rsplit("/", 1)[-1] else ""


@login_required
def record_scan(request, pk, kind):
    meeting = _meeting(request, pk)
    record = get_object_or_404(Record, meeting=meeting, kind=kind)
    if not record.scan or not (record.published or can_manage(request.user, meeting.body)):
        raise Http404
    return stored_file_response(record.scan.name)


@login_required
def meeting_pdf(request, pk, kind):
    """Decree-30 PDF: the invitation for anyone who sees the meeting; the minutes and the resolution once
    published (or for those who run the body)."""
    from . import pdf

    meeting = _meeting(request, pk)
    if kind == "invitation":
        content = pdf.invitation_pdf(meeting)
    else:
        record = get_object_or_404(Record, meeting=meeting, kind=kind)
        if not (record.published or can_manage(request.user, meeting.body)):
            raise Http404
        content = pdf.record_pdf(record)
    return download_response(content, f"{kind}-{meeting.pk}.pdf", "application/pdf", inline=True)


@login_required
def rollout_view(request):
    if not request.user.has_perm("meetings.view_cellrollout"):
        raise Http404
    organisation = request.GET.get("organisation")
    day = None
    if request.GET.get("day"):
        try:
            day = datetime.date.fromisoformat(request.GET["day"][:10])
        except ValueError:
            return HttpResponse(_("Choose the structure date as a day."), status=400)
        if not datetime.date(1945, 9, 2) <= day <= datetime.date(2100, 12, 31):
            return HttpResponse(_("Choose the structure date as a day."), status=400)
    context = rollout.dashboard(request.user, organisation, day)
    context["before_reform"] = BEFORE_REFORM
    return render(request, "meetings/rollout.html", context)


@login_required
def rollout_import(request):
    if request.method != "POST" or not request.user.has_perm("meetings.import_cellrollout"):
        raise Http404
    try:
        count = rollout.import_cells(request.FILES.get("file"), actor=request.user)
    except ValidationError as error:
        for text in error.messages[:50]:
            messages.error(request, text)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(count)s cells imported.") % {"count": count})
    return redirect("meetings:rollout")


def _managed_body(request, pk) -> Body:
    """The body, for those who run it (chair, secretary, officers of its unit); 404 for everyone else."""
    body = Body.objects.select_related("unit").filter(pk=pk).first()
    if body is None or not can_manage(request.user, body):
        raise Http404
    return body


@login_required
def members_view(request, pk):
    """A body's members: who is on it today and who was, add a person with a role and dates, end a membership."""
    body = _managed_body(request, pk)
    search = (request.GET.get("q") or "").replace("\x00", "")[:100]
    initial = {"valid_from": timezone.localdate(), "username": (request.GET.get("pick") or "")[:150]}
    form = MemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = get_user_model().objects.filter(username=data["username"], is_active=True).first()
        if person is None:
            form.add_error("username", _("No active account has that user name."))
        else:
            try:
                services.add_member(
                    body,
                    actor=request.user,
                    user=person,
                    role=data["role"],
                    member_number=data["member_number"],
                    valid_from=data["valid_from"],
                    valid_to=data["valid_to"],
                )
            except ValidationError as error:
                _form_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("%(name)s joins the body.") % {"name": person.full_name or person})
                return redirect("meetings:members", pk=body.pk)
    today = timezone.localdate()
    rows = list(body.members.select_related("user").order_by("role", "user__full_name", "valid_from"))
    current = [m for m in rows if m.valid_from <= today and (m.valid_to is None or m.valid_to >= today)]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "meetings/members.html",
        {
            "body": body,
            "form": form,
            "current": current,
            "others": [m for m in rows if m not in current],
            "end_form": EndMemberForm(initial={"day": today}),
            "search": search,
            "found": people_for(body, search) if search else None,
        },
        status=status,
    )


@require_POST
@login_required
def end_member_view(request, pk, member_pk):
    body = _managed_body(request, pk)
    member = get_object_or_404(body.members, pk=member_pk)
    form = EndMemberForm(request.POST)
    if not form.is_valid():
        return HttpResponse(" ".join(str(text) for texts in form.errors.values() for text in texts), status=400)
    try:
        services.end_membership(member, actor=request.user, day=form.cleaned_data["day"])
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400)
    except PermissionDenied as error:
        return HttpResponse(str(error), status=403)
    messages.success(request, _("The membership ends on %(day)s.") % {"day": short_date(form.cleaned_data["day"])})
    return redirect("meetings:members", pk=body.pk)


@login_required
def notify_bodies_view(request):
    """A district or province officer calls every body of a kind within their unit to a meeting at once; the
    work runs as a background job whose page shows its progress."""
    from tinhso.units.models import Unit

    from .forms import BodiesNoticeForm

    units = list(
        Unit.objects.restrict(request.user, "meetings.change_meeting")
        .valid_on(timezone.localdate())
        .filter(depth__lte=1)
        .order_by("depth", "name")
    )
    if not units:
        raise Http404
    form = BodiesNoticeForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next(u for u in units if u.pk == data["unit"])
        try:
            job = services.start_notice_to_bodies(
                actor=request.user,
                unit=unit,
                kind=data["kind"],
                data=services.MeetingData(
                    title=data["title"], starts_at=data["starts_at"], ends_at=data["ends_at"], place=data["place"]
                ),
            )
        except ValidationError as error:
            _form_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return redirect("core:job_detail", job.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/notify_bodies.html", {"form": form}, status=status)
