"""The play log, the monthly broadcasting report, and the electronic bulletin boards.

The board's full-screen page is public (the unguessable slug is the secret, a TV cannot log in) and is
refreshed by HTMX polling a small fragment every 2 s. Polling rather than server-sent events because the
platform runs on plain gunicorn sync workers: an open event stream holds a worker for as long as the TV is
on, so a handful of boards would starve the site, while a poll is one short request of a few hundred bytes.
"""

import datetime

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from tinhso.core.filtersets import FilterSet
from tinhso.core.periods import parse_period
from tinhso.core.views import ObjectDetailView, ObjectListView, ServiceFormView
from tinhso.units.models import Unit

from . import services
from .broadcast_report import monthly_report
from .broadcast_report_files import CONTENT_TYPES, report_file
from .choices import BulletinLevel, BulletinStatus, PlayEventKind, StopReason
from .models import Board, Bulletin, PlayEvent, SpeakerCluster

NUMBER = {"td": {"class": "number"}, "th": {"class": "number"}}
UPCOMING_HOURS = 24
SCREEN_HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",  # the slug must not leak to the sites a bulletin links to
}


# --- Play log ---------------------------------------------------------------------------------


def url_or_none(name: str, pk) -> str | None:
    """A link to the cluster or bulletin page when there is one (the log outlives deleted bulletins)."""
    if pk is None:
        return None
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


def _visible_clusters(request):
    if request is None:
        return SpeakerCluster.objects.none()
    return SpeakerCluster.objects.restrict(request.user, "view").select_related("unit")


class PlayEventFilterSet(FilterSet):
    within = django_filters.CharFilter(method="filter_within", label=gettext_lazy("Within (unit code)"))
    cluster = django_filters.ModelChoiceFilter(queryset=_visible_clusters, label=gettext_lazy("Speaker cluster"))
    event = django_filters.ChoiceFilter(choices=PlayEventKind.choices, label=gettext_lazy("Event"))
    reason = django_filters.ChoiceFilter(choices=StopReason.choices, label=gettext_lazy("Reason"))
    since = django_filters.DateFilter(
        field_name="at__date", lookup_expr="gte", label=gettext_lazy("From"), widget=forms.DateInput({"type": "date"})
    )
    until = django_filters.DateFilter(
        field_name="at__date", lookup_expr="lte", label=gettext_lazy("To"), widget=forms.DateInput({"type": "date"})
    )

    class Meta:
        model = PlayEvent
        fields = ["within", "cluster", "event", "reason", "since", "until"]

    def filter_within(self, queryset, name, value):
        # Every version of the unit (before and after a reorganisation) keeps its own clusters' history.
        paths = list(Unit.objects.filter(code=value.strip()).values_list("path", flat=True))
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(cluster__unit__path__startswith=path)
        return queryset.filter(condition)


class PlayEventTable(tables.Table):
    at = tables.DateTimeColumn(verbose_name=gettext_lazy("Time"), format="j/n/Y H:i:s")
    cluster = tables.Column(
        verbose_name=gettext_lazy("Speaker cluster"),
        accessor="cluster__name",
        linkify=lambda record: url_or_none("radio:cluster_detail", record.cluster_id),
    )
    unit = tables.Column(verbose_name=gettext_lazy("Unit"), accessor="cluster__unit__name", orderable=False)
    bulletin = tables.Column(
        verbose_name=gettext_lazy("Bulletin"),
        accessor="bulletin__title",
        default="—",
        linkify=lambda record: url_or_none("radio:bulletin_detail", record.bulletin_id),
    )
    event = tables.Column(verbose_name=gettext_lazy("Event"))
    reason = tables.Column(verbose_name=gettext_lazy("Reason"), default="")
    level = tables.Column(verbose_name=gettext_lazy("Level"), default="")
    repetition = tables.Column(verbose_name=gettext_lazy("Repetition"), attrs=NUMBER, default="")
    detail = tables.Column(verbose_name=gettext_lazy("Detail"), default="", orderable=False)
    received_at = tables.DateTimeColumn(verbose_name=gettext_lazy("Received"), format="j/n/Y H:i:s", visible=False)
    item = tables.Column(verbose_name=gettext_lazy("Item"), visible=False)  # in exports only: joins to deliveries

    class Meta:
        model = PlayEvent
        # On a phone the first columns are what matters: when, where, what happened and why.
        sequence = ["at", "cluster", "event", "reason", "bulletin", "level", "repetition", "unit", "detail", "..."]
        order_by = "-at"
        empty_text = gettext_lazy("Nothing has been played yet.")

    def render_reason(self, value):
        return StopReason(value).label if value in StopReason.values else value

    def render_level(self, value):
        return LEVEL_LABELS.get(value, value)

    # Exports write what the page shows: Vietnam time in the Vietnamese date format, words not codes.
    def value_at(self, value):
        return date_format(timezone.localtime(value), "j/n/Y H:i:s")

    def value_received_at(self, value):
        return self.value_at(value)

    def value_event(self, record):
        return record.get_event_display()

    def value_reason(self, value):
        return self.render_reason(value)

    def value_level(self, value):
        return self.render_level(value)


LEVEL_LABELS = {
    "emergency": gettext_lazy("Emergency"),
    "province_priority": gettext_lazy("Province priority"),
    "commune_priority": gettext_lazy("Commune priority"),
    "normal": gettext_lazy("Normal"),
    "relay": gettext_lazy("Relay"),
}


class PlayLogView(ObjectListView):
    """What every cluster played, stopped (and why), downloaded or failed; append-only, exportable."""

    model = PlayEvent
    filterset_class = PlayEventFilterSet
    table_class = PlayEventTable
    title = gettext_lazy("Play log")
    export_name = "nhat-ky-phat-thanh"
    template_name = "radio/log_list.html"

    def get_queryset(self):
        events = super().get_queryset().select_related("cluster__unit", "bulletin")
        bulletin = self.request.GET.get("bulletin", "")
        # ?bulletin=<id>: the log of one bulletin, linked from its page (not a form field: ids mean nothing here).
        return events.filter(bulletin_id=int(bulletin)) if bulletin.isdigit() else events


# --- Monthly broadcasting report ----------------------------------------------------------------


class BroadcastReportForm(forms.Form):
    commune = forms.ChoiceField(label=gettext_lazy("Commune"))
    month = forms.CharField(
        label=gettext_lazy("Month"), widget=forms.DateInput({"type": "month"}), help_text=gettext_lazy("e.g. 2026-11")
    )
    format = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.communes = {unit.code: unit for unit in communes}
        self.fields["commune"].choices = [(unit.code, unit.name) for unit in communes]

    def clean_month(self):
        value = self.cleaned_data["month"].strip().replace("-", "")
        try:
            period = parse_period(value)
        except (ValueError, KeyError):
            period = None
        if period is None or period.kind != "month":
            raise forms.ValidationError(_("Write the month as YYYY-MM, for example 2026-11."))
        return period


class BroadcastReportView(LoginRequiredMixin, TemplateView):
    """Per commune and month: plays by level, minutes on air, cancellations, failures, per cluster."""

    template_name = "radio/report.html"
    permission = "radio.view_playevent"

    def get(self, request, *args, **kwargs):
        communes = self._communes()
        if not communes:
            raise PermissionDenied(_("You do not have permission to do this for this administrative unit."))
        initial = {"month": f"{timezone.localdate():%Y-%m}", "commune": communes[0].code}
        form = BroadcastReportForm(request.GET or None, communes=communes, initial=initial)
        report = None
        if form.is_bound and form.is_valid():
            commune = form.communes[form.cleaned_data["commune"]]
            events = PlayEvent.objects.restrict(request.user, "view")
            report = monthly_report(commune, form.cleaned_data["month"], events)
            if form.cleaned_data.get("format") in CONTENT_TYPES:
                return report_file(report, form.cleaned_data["format"])
        return self.render_to_response(self.get_context_data(form=form, report=report))

    def _communes(self) -> list[Unit]:
        communes = Unit.objects.valid_on().filter(level="commune").order_by("path")
        return list(communes.restrict(self.request.user, self.permission))


# --- Bulletin boards ----------------------------------------------------------------------------


def board_bulletins(unit, now) -> dict:
    """What a board of ``unit`` shows now: bulletins on air for the unit, its ancestors or its subtree.

    A province-wide warning concerns every commune's board; a village's bulletin shows on its commune's.
    """
    concerned = (
        Q(target_units__in=[*unit.ancestor_ids, unit.pk])
        | Q(target_units__path__startswith=unit.path)
        | Q(target_clusters__unit__path__startswith=unit.path)
    )
    valid = Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    found = Bulletin.objects.filter(concerned, valid).select_related("unit").distinct()
    on_air = sorted(found.filter(status=BulletinStatus.ON_AIR), key=_board_order)
    soon = now + datetime.timedelta(hours=UPCOMING_HOURS)
    upcoming = found.filter(status=BulletinStatus.SCHEDULED, send_at__lte=soon).order_by("send_at")
    emergencies = [bulletin for bulletin in on_air if bulletin.level == BulletinLevel.EMERGENCY]
    return {"on_air": on_air, "upcoming": list(upcoming), "emergency": emergencies[0] if emergencies else None}


def _board_order(bulletin):
    order = {BulletinLevel.EMERGENCY: 0, BulletinLevel.PRIORITY: 1}
    return (order.get(bulletin.level, 2), -(bulletin.broadcast_at or bulletin.created_at).timestamp())


class BoardFilterSet(FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=gettext_lazy("Search"))

    class Meta:
        model = Board
        fields = ["q"]


class BoardTable(tables.Table):
    name = tables.Column(verbose_name=gettext_lazy("Name"), linkify=True)
    unit = tables.Column(verbose_name=gettext_lazy("Unit"), accessor="unit__name", order_by="unit__path")

    class Meta:
        model = Board
        fields = ["name", "unit"]
        empty_text = gettext_lazy("No bulletin board yet.")


class BoardListView(ObjectListView):
    model = Board
    table_class = BoardTable
    filterset_class = BoardFilterSet
    title = gettext_lazy("Bulletin boards")
    template_name = "radio/board_list.html"
    add_url_name = "radio:board_add"
    add_permission = "radio.add_board"

    def get_queryset(self):
        return super().get_queryset().select_related("unit")


class BoardForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("Administrative unit"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.valid_on().order_by("path").restrict(user, "radio.add_board")


class BoardCreateView(ServiceFormView):
    form_class = BoardForm
    title = gettext_lazy("New bulletin board")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("radio.add_board"):
            raise PermissionDenied(_("You do not have permission to do this for this administrative unit."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        data = form.cleaned_data
        return services.create_board(actor=self.request.user, unit=data["unit"], name=data["name"])


class BoardDetailView(ObjectDetailView):
    model = Board
    template_name = "radio/board_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(board_bulletins(self.object.unit, timezone.now()))
        screen = reverse("radio:board_screen", args=[self.object.slug])
        context["screen_url"] = self.request.build_absolute_uri(screen)
        return context


class BoardScreenView(TemplateView):
    """The full-screen page on the TV: no login, the slug is the secret."""

    template_name = "radio/board_screen.html"

    def get(self, request, *args, **kwargs):
        self.board = get_object_or_404(Board.objects.select_related("unit"), slug=kwargs["slug"])
        response = super().get(request, *args, **kwargs)
        for header, value in SCREEN_HEADERS.items():
            response[header] = value
        return response

    def get_context_data(self, **kwargs):
        now = timezone.now()
        return {
            **super().get_context_data(**kwargs),
            "board": self.board,
            "now": now,
            **board_bulletins(self.board.unit, now),
        }


class BoardScreenLiveView(BoardScreenView):
    """The fragment the screen polls every 2 s."""

    template_name = "radio/board_screen_live.html"
