"""Producers, gardens and ancient tea trees; observations; products and batches; weather."""

import decimal
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tinhso.core.models import ChangeLoggedModel, ScopedModel

from .choices import AgeMethod, CertificationKind, EventKind, ProducerKind, TreeStatus

NOT_NEGATIVE = [MinValueValidator(0)]


def new_short_code() -> str:
    # 8 characters of an alphabet without look-alikes: short on a label, too many to guess.
    return "".join(secrets.choice("23456789abcdefghjkmnpqrstuvwxyz") for _ in range(8))


def rounded(value, decimals: int | None = None):
    if value is None:
        return None
    places = settings.TRACE_PUBLIC_COORDINATE_DECIMALS if decimals is None else decimals
    return decimal.Decimal(value).quantize(decimal.Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP)


class Producer(ChangeLoggedModel, ScopedModel):
    unit = models.ForeignKey("units.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ProducerKind.choices, default=ProducerKind.COOPERATIVE)
    representative = models.CharField(_("representative"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Garden(ChangeLoggedModel, ScopedModel):
    unit = models.ForeignKey("units.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    producer = models.ForeignKey(Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="gardens")
    name = models.CharField(_("name"), max_length=200)
    village = models.CharField(_("village or hamlet"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("garden")
        verbose_name_plural = _("gardens")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("trace:tree_list") + f"?garden={self.pk}"


class Tree(ChangeLoggedModel, ScopedModel):
    unit = models.ForeignKey("units.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    garden = models.ForeignKey(Garden, verbose_name=_("garden"), on_delete=models.PROTECT, related_name="trees")
    number = models.CharField(_("number"), max_length=30, help_text=_("The number painted on the label, e.g. SG-0042."))
    variety = models.CharField(_("tea variety"), max_length=120, default="Shan tuyết")
    estimated_age = models.PositiveIntegerField(_("estimated age (years)"), null=True, blank=True)
    age_method = models.CharField(_("how the age was estimated"), max_length=20, choices=AgeMethod.choices, blank=True)
    age_source = models.CharField(_("source of the estimate"), max_length=200, blank=True)
    girth_cm = models.DecimalField(
        _("girth (cm)"), max_digits=6, decimal_places=1, null=True, blank=True, validators=NOT_NEGATIVE
    )
    height_m = models.DecimalField(
        _("height (m)"), max_digits=5, decimal_places=1, null=True, blank=True, validators=NOT_NEGATIVE
    )
    canopy_m = models.DecimalField(
        _("canopy (m)"), max_digits=5, decimal_places=1, null=True, blank=True, validators=NOT_NEGATIVE
    )
    altitude_m = models.PositiveIntegerField(_("altitude (m)"), null=True, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    story_vi = models.TextField(_("story (Vietnamese)"), blank=True)
    story_en = models.TextField(_("story (English)"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=TreeStatus.choices, default=TreeStatus.LIVING)
    short_code = models.CharField(_("short code"), max_length=12, unique=True, default=new_short_code, editable=False)
    link = models.CharField(
        _("label address"), max_length=200, blank=True, editable=False, help_text=_("The URL printed in the QR code.")
    )

    class Meta:
        verbose_name = _("tree")
        verbose_name_plural = _("trees")
        ordering = ["garden_id", "number"]
        constraints = [models.UniqueConstraint(fields=["unit", "number"], name="trace_tree_number_unique")]
        permissions = [("view_statistics", _("Can view traceability statistics"))]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("trace:tree_detail", args=[self.pk])

    @property
    def public_latitude(self):
        return rounded(self.latitude)

    @property
    def public_longitude(self):
        return rounded(self.longitude)

    def story(self, language: str) -> str:
        return self.story_en if language == "en" and self.story_en else self.story_vi


class TreePhoto(ChangeLoggedModel, ScopedModel):
    scope_path = "tree__unit__path"

    tree = models.ForeignKey(Tree, verbose_name=_("tree"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="trace/photos/%Y/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("tree photo")
        verbose_name_plural = _("tree photos")


class Device(ChangeLoggedModel, ScopedModel):
    """A sensor or gateway that posts readings with its own token (only the token's hash is kept)."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    device_id = models.CharField(_("device id"), max_length=64, unique=True)
    tree = models.ForeignKey(Tree, verbose_name=_("tree"), null=True, blank=True, on_delete=models.SET_NULL)
    garden = models.ForeignKey(Garden, verbose_name=_("garden"), null=True, blank=True, on_delete=models.SET_NULL)
    token_hash = models.CharField(max_length=64, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    change_log_exclude = ("created_at", "updated_at", "token_hash")

    class Meta:
        verbose_name = _("sensor device")
        verbose_name_plural = _("sensor devices")

    def __str__(self):
        return self.device_id


class Event(ChangeLoggedModel, ScopedModel):
    """An EPCIS 2.0 ObjectEvent about a tree: care, harvest, inspection."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    tree = models.ForeignKey(Tree, verbose_name=_("tree"), on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    event_time = models.DateTimeField(_("time"))
    quantity_kg = models.DecimalField(
        _("quantity (kg)"), max_digits=8, decimal_places=2, null=True, blank=True, validators=NOT_NEGATIVE
    )
    inputs = models.CharField(_("inputs used"), max_length=200, blank=True)
    performed_by = models.CharField(_("done by"), max_length=120, blank=True)
    note = models.TextField(_("note"), blank=True)
    event_id = models.CharField(_("event id"), max_length=120, unique=True, help_text=_("EPCIS eventID (a URI)."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-event_time", "-id"]
        indexes = [models.Index(fields=["tree", "kind", "event_time"], name="trace_event_tree_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.tree_id}"


class SensorReading(models.Model):
    """One reading of one device; (device, time) is unique, so a repeated post changes nothing.

    Not change-logged row by row (thousands a day): the device and its token are."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="readings")
    tree = models.ForeignKey(Tree, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    time = models.DateTimeField(_("time"))
    temperature_c = models.DecimalField(_("temperature (°C)"), max_digits=5, decimal_places=2, null=True, blank=True)
    humidity_percent = models.DecimalField(_("humidity (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    soil_moisture_percent = models.DecimalField(
        _("soil moisture (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("sensor reading")
        verbose_name_plural = _("sensor readings")
        constraints = [models.UniqueConstraint(fields=["device", "time"], name="trace_reading_once")]

    def __str__(self):
        return f"{self.device_id} {self.time:%Y-%m-%d %H:%M}"


class WeatherStation(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    altitude_m = models.IntegerField(_("altitude (m)"), null=True, blank=True)

    class Meta:
        verbose_name = _("weather station")
        verbose_name_plural = _("weather stations")

    def __str__(self):
        return self.name


class WeatherObservation(models.Model):
    station = models.ForeignKey(WeatherStation, on_delete=models.CASCADE, related_name="observations")
    day = models.DateField(_("day"))
    temperature_c = models.DecimalField(_("mean temperature (°C)"), max_digits=4, decimal_places=1, null=True)
    humidity_percent = models.DecimalField(_("humidity (%)"), max_digits=4, decimal_places=1, null=True)
    rain_mm = models.DecimalField(_("rain (mm)"), max_digits=6, decimal_places=1, null=True)

    class Meta:
        verbose_name = _("weather observation")
        verbose_name_plural = _("weather observations")
        constraints = [models.UniqueConstraint(fields=["station", "day"], name="trace_weather_once")]

    def __str__(self):
        return f"{self.station_id} {self.day}"


class Product(ChangeLoggedModel, ScopedModel):
    unit = models.ForeignKey("units.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    producer = models.ForeignKey(Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    gtin = models.CharField(
        _("GTIN"),
        max_length=14,
        unique=True,
        validators=[RegexValidator(r"^[0-9]{14}$", _("A GTIN here has 14 digits."))],
        help_text=_("14 digits, with the check digit."),
    )
    ocop_stars = models.PositiveSmallIntegerField(
        _("OCOP stars"), null=True, blank=True, validators=[MinValueValidator(3), MaxValueValidator(5)]
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("trace:product_detail", args=[self.pk])


class Certification(ChangeLoggedModel, ScopedModel):
    scope_path = "product__unit__path"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="certifications")
    kind = models.CharField(_("kind"), max_length=20, choices=CertificationKind.choices)
    number = models.CharField(_("certificate number"), max_length=80, blank=True)
    issued_by = models.CharField(_("issuer"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Batch(ChangeLoggedModel, ScopedModel):
    unit = models.ForeignKey("units.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="batches")
    lot = models.CharField(
        _("lot"),
        max_length=20,
        validators=[RegexValidator(r"^[A-Za-z0-9-]+$", _("A lot has only letters, digits and hyphens."))],
    )
    packed_on = models.DateField(_("packed on"))
    processing = models.TextField(_("processing steps"), blank=True, help_text=_("One step per line."))
    trees = models.ManyToManyField(Tree, verbose_name=_("trees"), related_name="batches", blank=True)
    harvests = models.ManyToManyField(Event, verbose_name=_("harvests"), related_name="batches", blank=True)
    is_recalled = models.BooleanField(_("recalled"), default=False)
    recall_reason = models.CharField(_("recall reason"), max_length=255, blank=True)
    short_code = models.CharField(_("short code"), max_length=12, unique=True, default=new_short_code, editable=False)
    link = models.CharField(_("label address"), max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        constraints = [models.UniqueConstraint(fields=["product", "lot"], name="trace_batch_lot_unique")]

    def __str__(self):
        return f"{self.product} — {self.lot}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("trace:batch_detail", args=[self.pk])


class ScanCount(models.Model):
    """Scans of a public page per day: a counter, nothing about the person who scanned."""

    tree = models.ForeignKey(Tree, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    batch = models.ForeignKey(Batch, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tree", "batch", "day"], name="trace_scan_day")]

    def __str__(self):
        return f"{self.day}: {self.count}"


class CommuneOutline(ChangeLoggedModel, ScopedModel):
    """The commune's boundary, imported as GeoJSON (the unit data has a centre only). Used by the maps and
    by the check that a tree stands inside its commune; without it, the circle around the centre."""

    unit = models.OneToOneField("units.Unit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    geometry = models.JSONField(_("outline (GeoJSON MultiPolygon, WGS84)"))
    source_name = models.CharField(_("file"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("commune outline")
        verbose_name_plural = _("commune outlines")

    def __str__(self):
        return str(self.unit)
