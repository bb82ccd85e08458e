from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import RestrictedQuerySet


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")


class ObjectChange(models.Model):
    """One create, update or delete: who, when, under which request, before and after.

    Append-only: nothing in the platform edits or deletes these rows.
    """

    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    request_id = models.UUIDField(_("request id"), db_index=True)
    source = models.CharField(_("source"), max_length=30, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction.choices)
    object_type = models.ForeignKey(ContentType, verbose_name=_("object type"), on_delete=models.PROTECT)
    object_id = models.BigIntegerField(_("object id"))
    object_repr = models.CharField(_("object"), max_length=200)
    unit_path = models.CharField(_("unit path"), max_length=255, blank=True, db_index=True)
    prechange_data = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    postchange_data = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)

    scope_path = "unit_path"

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("change log")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "time"], name="objectchange_object_idx")]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"

    def changed_fields(self) -> list[tuple[str, str, str]]:
        """(label, before, after) of each field that changed, as a person reads them (core.changelog)."""
        from tinhso.core.history import readable_changes

        return readable_changes(self)

    def unit_paths(self) -> list[str]:
        return [self.unit_path] if self.unit_path else []
