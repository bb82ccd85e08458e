"""Bulletin pages: the composer (phone first), the list, the detail with per-cluster delivery, and actions."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from tinhso.core.files import download_response
from tinhso.core.views import ObjectDetailView, ObjectListView, ServiceFormView

from .. import audio, services
from ..filtersets import BulletinFilterSet
from ..forms import BulletinForm, CapImportForm
from ..models import Bulletin
from ..tables import BulletinTable


class BulletinListView(ObjectListView):
    model = Bulletin
    queryset = Bulletin.objects.select_related("unit")
    filterset_class = BulletinFilterSet
    table_class = BulletinTable
    template_name = "radio/object_list.html"
    title = gettext_lazy("Bulletins")
    add_url_name = "radio:bulletin_add"
    add_permission = "radio.add_bulletin"
    export_name = "bulletins"


class BulletinDetailView(ObjectDetailView):
    model = Bulletin
    queryset = Bulletin.objects.select_related("unit", "created_by", "cancelled_by")
    template_name = "radio/bulletin_detail.html"

    def get_context_data(self, **kwargs):
        bulletin, user = self.object, self.request.user
        deliveries = bulletin.deliveries.select_related("cluster__unit").order_by("cluster__unit__path", "item")
        return {
            **super().get_context_data(**kwargs),
            "deliveries": deliveries[:500],
            "delivery_count": deliveries.count(),
            "targets": bulletin.target_units.all(),
            "chosen_clusters": bulletin.target_clusters.all(),
            "can_broadcast": bulletin.status == "draft" and user.has_perm("radio.broadcast_bulletin", bulletin),
            "can_cancel": bulletin.is_open and user.has_perm("radio.cancel_bulletin", bulletin),
        }


class BulletinComposeView(ServiceFormView):
    """Write, record or upload, choose targets and time, then save a draft or send it."""

    form_class = BulletinForm
    template_name = "radio/compose.html"
    title = gettext_lazy("New bulletin")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("radio.add_bulletin"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        send = self.request.POST.get("action") == "send"
        arguments = form.service_arguments()
        if send:
            bulletin = services.send_now(actor=self.request.user, **arguments)
            messages.success(self.request, _("The bulletin was sent."))
        else:
            bulletin = services.create_bulletin(actor=self.request.user, **arguments)
            messages.success(self.request, _("The bulletin was saved as a draft."))
        return bulletin


class BulletinActionView(LoginRequiredMixin, View):
    permission_action = "change"

    def post(self, request, pk):
        bulletin = get_object_or_404(Bulletin.objects.restrict(request.user), pk=pk)
        try:
            self.act(bulletin)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(bulletin.get_absolute_url())


class BulletinBroadcastView(BulletinActionView):
    def act(self, bulletin):
        reached = services.broadcast(bulletin, actor=self.request.user)
        messages.success(self.request, _("Sent to %(count)s speaker clusters.") % {"count": reached})


class BulletinCancelView(BulletinActionView):
    def act(self, bulletin):
        stopped = services.cancel(bulletin, actor=self.request.user)
        messages.success(self.request, _("Cancelled on %(count)s speaker clusters.") % {"count": stopped})


class BulletinCapView(LoginRequiredMixin, View):
    def get(self, request, pk):
        bulletin = get_object_or_404(Bulletin.objects.restrict(request.user), pk=pk)
        cap = services.export_cap(bulletin)
        return download_response(cap, f"bulletin-{bulletin.pk}.cap.xml", "application/cap+xml; charset=utf-8")


class NormalizePreviewView(LoginRequiredMixin, View):
    """The composer's live "what the speaker will say" (an HTMX fragment)."""

    def get(self, request):
        text = request.GET.get("text", "")[: services.MAX_TEXT]
        reading, problem = "", ""
        if text.strip():
            try:
                reading = audio.normalize(text, services.sender_unit_for(request.user))
            except (ImportError, ValueError) as error:
                problem = str(error)
        return render(request, "radio/partials/_reading.html", {"reading": reading, "problem": problem})


class SpeechPreviewView(LoginRequiredMixin, View):
    """The composer's audio preview: synthesised on demand, not stored."""

    def post(self, request):
        if not request.user.has_perm("radio.add_bulletin"):
            raise PermissionDenied
        preview = Bulletin(
            unit=services.sender_unit_for(request.user),
            text=request.POST.get("text", "").strip(),
            voice=request.POST.get("voice") or "north",
            rate=_rate(request.POST.get("rate")),
            chime=request.POST.get("chime") in ("on", "true", "1"),
        )
        try:
            spoken = audio.speak(preview)
        except audio.audio_error_types() as error:
            return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
        return HttpResponse(spoken.audio, content_type="audio/ogg")


def _rate(value) -> int | None:
    try:
        rate = int(value)
    except (TypeError, ValueError):
        return None
    return rate if 80 <= rate <= 220 else None


class CapImportPageView(ServiceFormView):
    """Import an alert of the province's disaster command (OASIS CAP 1.2) from a file."""

    form_class = CapImportForm
    title = gettext_lazy("Import a CAP alert")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("radio.import_cap_bulletin"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        bulletin, cancelled, again = services.import_cap(form.cleaned_data["document"].read(), actor=self.request.user)
        if again:
            messages.info(self.request, _("This alert had already been received: nothing was sent again."))
            return bulletin or cancelled[0]
        if bulletin is None:
            messages.success(self.request, _("Cancelled on %(count)s speaker clusters.") % {"count": len(cancelled)})
            return cancelled[0]
        messages.success(self.request, _("The bulletin was sent."))
        return bulletin
