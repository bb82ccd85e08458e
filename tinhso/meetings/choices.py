from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BodyKind(models.TextChoices):
    PARTY_CELL = "party_cell", pgettext_lazy("meeting body", "Party cell")
    PARTY_COMMITTEE = "party_committee", pgettext_lazy("meeting body", "Party committee")
    PEOPLES_COMMITTEE = "peoples_committee", pgettext_lazy("meeting body", "People's Committee")
    PEOPLES_COUNCIL = "peoples_council", pgettext_lazy("meeting body", "People's Council")
    DX_TEAM = "dx_team", pgettext_lazy("meeting body", "Community digital transformation team")
    BRIEFING = "briefing", pgettext_lazy("meeting body", "Department briefing")


class QuorumComparison(models.TextChoices):
    AT_LEAST = "at_least", pgettext_lazy("quorum", "at least")
    MORE_THAN = "more_than", pgettext_lazy("quorum", "more than")


class QuorumBase(models.TextChoices):
    MEMBERS = "members", _("all members (chair, secretary, members)")
    NOT_EXCUSED = "not_excused", _("members not excused")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", pgettext_lazy("meeting body", "Secretary")
    MEMBER = "member", pgettext_lazy("meeting body", "Member")
    GUEST = "guest", _("Invited guest")


VOTING_ROLES = (MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.MEMBER)
OFFICER_ROLES = (MemberRole.CHAIR, MemberRole.SECRETARY)


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CANCELLED = "cancelled", _("Cancelled")
    CLOSED = "closed", _("Closed")


class DocumentAccess(models.TextChoices):
    MEMBERS = "members", _("Members of the body")
    GUESTS = "guests", _("Members and invited guests")
    PUBLIC = "public", _("Public after publication")


class NoticeState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    DELIVERED = "delivered", _("Delivered")
    READ = "read", _("Read")
    CONFIRMED = "confirmed", _("Confirmed")
    EXCUSED = "excused", _("Excused")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class CheckinMethod(models.TextChoices):
    QR = "qr", _("QR code")
    NUMBER = "number", _("Member number")
    SECRETARY = "secretary", _("Ticked by the secretary")


class RecordKind(models.TextChoices):
    MINUTES = "minutes", _("Minutes")
    RESOLUTION = "resolution", _("Resolution")


class CellKind(models.TextChoices):
    SUBORDINATE = "subordinate", _("Subordinate party cell")
    GRASSROOTS = "grassroots", _("Grassroots party cell")
