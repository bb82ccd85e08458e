from django.db import models
from django.utils.translation import gettext_lazy as _


class Rule(models.TextChoices):
    STEPPED = "stepped", _("Stepped thresholds on a value")
    RATIO = "ratio", _("Ratio a/b × maximum")
    BOOLEAN = "boolean", _("Yes / no")
    MANUAL = "manual", _("Points entered with evidence")


class Source(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    INDICATOR = "indicator", _("A plan indicator")
    COMPUTED = "computed", _("Computed by the module")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Computed, not verified")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned for correction")


class VerifyingLevel(models.TextChoices):
    VILLAGE = "village", _("Village")
    COMMUNE = "commune", _("Commune")
    DISTRICT = "district", _("District")
    PROVINCE = "province", _("Province")


DEFAULT_CLASSIFICATION = [
    {"label": "Xuất sắc", "min": 90},
    {"label": "Tốt", "min": 80},
    {"label": "Khá", "min": 65},
    {"label": "Trung bình", "min": 50},
    {"label": "Yếu", "min": 0},
]
