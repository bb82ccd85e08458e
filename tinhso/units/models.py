import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhso.core.models import ChangeLoggedModel, RestrictedQuerySet, ScopedModel
from tinhso.core.text import fold, search_words

from .choices import LEVEL_DEPTH, OrganisationKind, UnitLevel, UnitType


class UnitQuerySet(RestrictedQuerySet):
    def valid_on(self, day: datetime.date | None = None):
        day = day or timezone.localdate()
        return self.filter(Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day)))

    def within(self, ancestor: "Unit", *, include_self: bool = False):
        subtree = self.filter(path__startswith=ancestor.path)
        return subtree if include_self else subtree.exclude(pk=ancestor.pk)

    def search(self, text: str):
        text = search_words(text)
        return self.filter(Q(search_name__contains=fold(text)) | Q(code__startswith=text))


class Unit(ChangeLoggedModel, ScopedModel):
    """An administrative unit as it was over a span of time.

    A reorganisation never edits history: the unit is closed (valid_to) and new units carry
    on, linked by UnitSuccession. `path` ("/1/23/456/") makes any subtree one indexed query.
    """

    code = models.CharField(_("code"), max_length=20, db_index=True)
    name = models.CharField(_("name"), max_length=150)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=UnitLevel.choices, db_index=True)
    unit_type = models.CharField(_("type"), max_length=20, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("belongs to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=255, db_index=True, editable=False, blank=True)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    is_official = models.BooleanField(
        _("official"), default=False, help_text=_("Comes from the national list of administrative units.")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    search_name = models.CharField(max_length=150, editable=False, blank=True, db_index=True)
    predecessors: models.ManyToManyField = models.ManyToManyField(
        "self",
        through="UnitSuccession",
        through_fields=("successor", "predecessor"),
        symmetrical=False,
        related_name="successors",
        verbose_name=_("predecessors"),
    )

    objects = UnitQuerySet.as_manager()  # type: ignore[misc]
    scope_path = "path"
    change_log_exclude = ("created_at", "updated_at", "path", "depth", "search_name")

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["path"]
        permissions = [("change_official_unit", "Can change official administrative units")]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="unit_code_unique_per_version"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_to_after_valid_from",
            ),
        ]
        indexes = [models.Index(fields=["level", "valid_from", "valid_to"], name="unit_level_validity_idx")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(f"{self.name} {self.short_name}")[:150]
        self.depth = LEVEL_DEPTH.get(self.level, 0)
        super().save(*args, **kwargs)

    def unit_paths(self) -> list[str]:
        return [self.path]

    def path_from_parent(self) -> str:
        """The path a saved unit has under its parent ("/1/23/" + its key): known once the unit has a key."""
        return f"{self.parent.path if self.parent is not None else '/'}{self.pk}/"

    def change_log_unit_path(self) -> str:
        # A new unit is logged on its first save, before its path (which holds its key) is stored.
        return self.path or (self.path_from_parent() if self.pk is not None else "")

    def get_absolute_url(self) -> str:
        return reverse("units:unit_detail", args=[self.pk])

    @property
    def last_valid_day(self) -> datetime.date:
        return self.valid_to or timezone.localdate()

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]

    def ancestors(self):
        by_id = Unit.objects.in_bulk(self.ancestor_ids)
        return [by_id[pk] for pk in self.ancestor_ids if pk in by_id]


class UnitSuccession(ChangeLoggedModel):
    """`predecessor` ended and (part of) its territory continued as `successor`."""

    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="predecessor_links")
    is_primary = models.BooleanField(
        _("primary successor"),
        default=True,
        help_text=_("Figures of the predecessor roll up under this successor when the predecessor was split."),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="unique_succession"),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"

    def unit_paths(self) -> list[str]:
        return [self.successor.path]


class Organisation(ChangeLoggedModel, ScopedModel):
    """A body that belongs to a unit: a department, a People's Committee, a party cell, a school..."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="organisations"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=40, blank=True, help_text=_("Electronic identifier, if any."))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    search_name = models.CharField(max_length=200, editable=False, blank=True, db_index=True)

    change_log_exclude = ("created_at", "updated_at", "search_name")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="unique_organisation_name_per_unit")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(f"{self.name} {self.short_name}")[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("units:organisation_detail", args=[self.pk])
