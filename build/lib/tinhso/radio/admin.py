"""Admin pages for support staff: read-only views of the radio (every change goes through the pages,
the API or the bridge, which call the services)."""

from django.contrib import admin

from tinhso.core.admin import ScopedAdmin

from .models import Bulletin, PlayEvent, SpeakerCluster


class ReadOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SpeakerCluster)
class SpeakerClusterAdmin(ReadOnlyAdmin):
    list_display = ["name", "device_id", "unit", "is_online", "last_seen_at", "agent_version"]
    list_filter = ["is_online"]
    search_fields = ["name", "device_id"]
    exclude = ["password_hash", "mosquitto_hash"]


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "kind", "level", "status", "send_at", "expires_at"]
    list_filter = ["level", "status", "kind"]
    search_fields = ["title", "cap_identifier"]


@admin.register(PlayEvent)
class PlayEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "cluster", "event", "reason", "item", "detail"]
    list_filter = ["event"]
