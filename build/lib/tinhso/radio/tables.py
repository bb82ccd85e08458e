import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Bulletin, SpeakerCluster

STATUS_BADGE = {"online": "ok", "offline": "ended", "silent": "warn"}
LEVEL_BADGE = {"emergency": "warn", "priority": "ok", "normal": ""}


class ClusterTable(tables.Table):
    name = tables.Column(verbose_name=_("name"), linkify=True)
    unit = tables.Column(verbose_name=_("administrative unit"), accessor="unit__name", order_by="unit__path")
    status = tables.Column(verbose_name=_("status"), empty_values=(), orderable=False)
    volume = tables.Column(verbose_name=_("volume"), empty_values=(), orderable=False)
    playing = tables.Column(verbose_name=_("playing"), empty_values=(), orderable=False)
    last_seen_at = tables.DateTimeColumn(verbose_name=_("last seen"), format="j/n/Y H:i")
    agent_version = tables.Column(verbose_name=_("agent version"))

    class Meta:
        model = SpeakerCluster
        fields = ["name", "unit", "device_id", "status", "volume", "playing", "last_seen_at", "agent_version"]
        order_by = ["unit"]

    def render_status(self, record):
        label = record.get_status_display()
        return format_html('<span class="badge {}">{}</span>', STATUS_BADGE.get(record.status, ""), label)

    def value_status(self, record):
        return record.get_status_display()

    def render_volume(self, record):
        shown = record.reported_volume if record.reported_volume is not None else record.volume
        return f"{shown}%"

    def value_volume(self, record):
        return record.reported_volume if record.reported_volume is not None else record.volume

    def render_playing(self, record):
        playing = record.playing or {}
        return playing.get("title") or playing.get("item") or "—"

    def value_playing(self, record):
        return self.render_playing(record)


class BulletinTable(tables.Table):
    title = tables.Column(verbose_name=_("title"), linkify=True)
    unit = tables.Column(verbose_name=_("sender unit"), accessor="unit__name", order_by="unit__path")
    level = tables.Column(verbose_name=_("level"))
    status = tables.Column(verbose_name=_("status"))
    send_at = tables.DateTimeColumn(verbose_name=_("send at"), format="j/n/Y H:i")
    expires_at = tables.DateTimeColumn(verbose_name=_("expires at"), format="j/n/Y H:i")

    class Meta:
        model = Bulletin
        fields = ["title", "unit", "kind", "level", "status", "send_at", "expires_at"]
        order_by = ["-send_at"]

    def render_level(self, record):
        return format_html(
            '<span class="badge {}">{}</span>', LEVEL_BADGE.get(record.level, ""), record.get_level_display()
        )

    def value_level(self, record):
        return record.get_level_display()

    def render_status(self, record):
        return record.get_status_display()
