from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Reported done")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


OPEN_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS, Status.SUBMITTED, Status.RETURNED)


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Quality(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")


class ReviewStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("review status", "Open")
    SELF_ASSESSED = "self_assessed", _("Self-assessed")
    REVIEWED = "reviewed", _("Reviewed by the manager")
    COMMENTED = "commented", _("Collective comment recorded")
    APPROVED = "approved", _("Approved (frozen)")


REVIEW_ORDER = [s.value for s in ReviewStatus]


class ReviewStep(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    MANAGER_REVIEW = "manager_review", _("Manager's review")
    COLLECTIVE_COMMENT = "collective_comment", _("Collective comment")
    APPROVAL = "approval", _("Head's approval")
    REOPEN = "reopen", _("Reopened")
    GRADE = "grade", _("Year grade decided")
    APPEAL = "appeal", _("Appeal")
    APPEAL_DECIDED = "appeal_decided", _("Appeal decided")


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Accepted: re-evaluated")
    REJECTED = "rejected", _("Rejected")
