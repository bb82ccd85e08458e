from django.db import models
from django.utils.translation import gettext_lazy as _


class ProducerKind(models.TextChoices):
    COOPERATIVE = "cooperative", _("Cooperative")
    HOUSEHOLD = "household", _("Household")


class AgeMethod(models.TextChoices):
    GIRTH = "girth", _("Estimated from the girth")
    ELDERS = "elders", _("Account of village elders")
    RECORDS = "records", _("Written records")
    SCIENTIFIC = "scientific", _("Scientific survey")


class TreeStatus(models.TextChoices):
    LIVING = "living", _("Living")
    WEAK = "weak", _("Weak")
    DEAD = "dead", _("Dead")
    LOST = "lost", _("Lost or cut")


class EventKind(models.TextChoices):
    """EPCIS 2.0 / CBV business steps this module records."""

    PRUNING = "pruning", _("Pruning")
    FERTILISING = "fertilising", _("Fertilising")
    CARE = "care", _("Other care")
    HARVEST = "harvesting", _("Harvest")
    INSPECTION = "inspecting", _("Inspection")
    SENSOR = "sensor_reporting", _("Sensor readings")


class CertificationKind(models.TextChoices):
    VIETGAP = "vietgap", _("VietGAP")
    OCOP = "ocop", _("OCOP")
    ORGANIC = "organic", _("Organic")
    OTHER = "other", _("Other")
