"""Pages of the notifications: a person's inbox and choices, and the delivery log of a unit's administrators."""

import django_filters
import django_tables2 as tables
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from .filtersets import FilterSet
from .models import Delivery, Message
from .models.notifications import Channel, DeliveryState
from .notifications import kinds, mark_all_read, mark_read
from .notifications.preferences import chosen_channels, set_preferences
from .notifications.senders import configured_senders
from .views import ObjectListView


class InboxView(LoginRequiredMixin, ListView):
    """Thông báo: what the platform told me, newest first, unread ones marked."""

    template_name = "core/notification_list.html"
    context_object_name = "notifications"
    paginate_by = 30

    def get_queryset(self):
        queryset = Message.objects.filter(recipient=self.request.user)
        if self.request.GET.get("unread"):
            queryset = queryset.filter(read_at__isnull=True)
        return queryset.order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        labels = dict(kinds.choices())
        for message in context["notifications"]:
            message.kind_label = labels.get(message.kind, message.kind)
        return {**context, "title": _("Notifications")}


class MarkReadView(LoginRequiredMixin, View):
    """POST: mark one message read, then open its page (open=1) or go back to the inbox."""

    def post(self, request, pk):
        message = get_object_or_404(Message, pk=pk, recipient=request.user)
        mark_read(message, actor=request.user)
        safe = url_has_allowed_host_and_scheme(message.url, allowed_hosts=None)
        if request.POST.get("open") and message.url and safe:
            return redirect(message.url)
        return redirect("core:notification_list")


class MarkAllReadView(LoginRequiredMixin, View):
    def post(self, request):
        mark_all_read(actor=request.user)
        return redirect("core:notification_list")


class PreferencesView(LoginRequiredMixin, TemplateView):
    """Which channels I receive each kind of message on (in-app is always on)."""

    template_name = "core/notification_preferences.html"

    def channels(self) -> list[tuple[str, str]]:
        configured = configured_senders()
        return [(value, label) for value, label in Channel.choices if value in configured and value != Channel.IN_APP]

    def get_context_data(self, **kwargs):
        user, channels = self.request.user, self.channels()
        rows = [
            (kind, [(channel, label, channel in chosen_channels(user, kind)) for channel, label in channels])
            for kind in kinds.choosable()
        ]
        context = super().get_context_data(**kwargs)
        return {**context, "title": _("How I am notified"), "rows": rows, "channels": channels}

    def post(self, request):
        choices = {
            (kind.name, channel): f"{kind.name}:{channel}" in request.POST
            for kind in kinds.choosable()
            for channel, _label in self.channels()
        }
        try:
            set_preferences(request.user, choices, actor=request.user)
        except ValidationError as error:
            return HttpResponseBadRequest(error.messages[0])
        from django.contrib import messages

        messages.success(request, _("Your choices were saved."))
        return redirect("core:notification_preferences")


class DeliveryFilterSet(FilterSet):
    kind = django_filters.ChoiceFilter(field_name="message__kind", label=gettext_lazy("kind"), choices=kinds.choices)
    state = django_filters.ChoiceFilter(choices=DeliveryState.choices, label=gettext_lazy("state"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=gettext_lazy("channel"))
    recipient = django_filters.CharFilter(method="filter_recipient", label=gettext_lazy("recipient"))

    class Meta:
        model = Delivery
        fields = ["kind", "state", "channel", "recipient"]

    def filter_recipient(self, queryset, name, value):
        return queryset.filter(
            Q(message__recipient__username__icontains=value) | Q(message__recipient__full_name__icontains=value)
        )


class DeliveryTable(tables.Table):
    created_at = tables.DateTimeColumn(verbose_name=gettext_lazy("created at"), format="H:i j/n/Y")
    recipient = tables.Column(verbose_name=gettext_lazy("recipient"), accessor="message__recipient", orderable=False)
    kind = tables.Column(verbose_name=gettext_lazy("kind"), accessor="message__kind")
    subject = tables.Column(verbose_name=gettext_lazy("subject"), accessor="message__subject", orderable=False)
    channel = tables.Column(verbose_name=gettext_lazy("channel"))
    state = tables.Column(verbose_name=gettext_lazy("state"))
    attempts = tables.Column(verbose_name=gettext_lazy("attempts"))
    sent_at = tables.DateTimeColumn(verbose_name=gettext_lazy("sent at"), format="H:i j/n/Y")
    last_error = tables.Column(verbose_name=gettext_lazy("last error"), orderable=False)

    class Meta:
        model = Delivery
        fields = ["created_at", "recipient", "kind", "subject", "channel", "state", "attempts", "sent_at", "last_error"]
        order_by = "-created_at"
        empty_text = gettext_lazy("Nothing was sent.")

    def render_kind(self, value):
        return dict(kinds.choices()).get(value, value)


class DeliveryListView(ObjectListView):
    """Nhật ký gửi: what was sent to the people of my units, through which channel, and how it went."""

    model = Delivery
    filterset_class = DeliveryFilterSet
    table_class = DeliveryTable
    title = gettext_lazy("Delivery log")

    def get_queryset(self):
        if not self.request.user.has_perm("core.view_delivery"):
            raise Http404
        return super().get_queryset().select_related("message__recipient")
