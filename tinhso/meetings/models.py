"""Meeting bodies and their members, meetings with agenda, documents, notices, attendance, minutes and
resolutions, decisions that become work items, and the rollout of the e-party-member handbook."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tinhso.core.files import UnguessableName
from tinhso.core.models import ChangeLoggedModel, ScopedModel

from .choices import (
    AttendanceStatus,
    BodyKind,
    CellKind,
    CheckinMethod,
    DocumentAccess,
    MeetingMode,
    MeetingStatus,
    MemberRole,
    NoticeState,
    QuorumBase,
    QuorumComparison,
    RecordKind,
)

MEETING_SCOPE = "meeting__body__unit__path"


class Body(ChangeLoggedModel, ScopedModel):
    """A body that meets: a party cell, the commune People's Committee, a DX team... of one unit. Its quorum
    rule is data (a fraction, "at least" or "more than", counted on all members or those not excused)."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum: numerator"), default=1)
    quorum_denominator = models.PositiveSmallIntegerField(
        _("quorum: denominator"), default=2, validators=[MinValueValidator(1)]
    )
    quorum_comparison = models.CharField(
        _("quorum: comparison"), max_length=10, choices=QuorumComparison.choices, default=QuorumComparison.MORE_THAN
    )
    quorum_base = models.CharField(
        _("quorum: counted on"), max_length=12, choices=QuorumBase.choices, default=QuorumBase.MEMBERS
    )
    default_title = models.CharField(_("template: title"), max_length=200, blank=True)
    default_place = models.CharField(_("template: place"), max_length=200, blank=True)
    default_start = models.TimeField(_("template: start time"), null=True, blank=True)
    default_minutes = models.PositiveSmallIntegerField(
        _("template: length in minutes"), default=120, validators=[MinValueValidator(5), MaxValueValidator(1440)]
    )
    default_agenda = models.TextField(_("template: agenda, one item a line"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("meeting body")
        verbose_name_plural = _("meeting bodies")
        ordering = ["unit__path", "name"]

    def __str__(self):
        return self.name


class BodyMemberQuerySet(models.QuerySet):
    def active_on(self, day):
        return self.filter(Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day)))


class BodyMember(ChangeLoggedModel, ScopedModel):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="body_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    member_number = models.CharField(_("member number"), max_length=30, blank=True)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)

    scope_path = "body__unit__path"
    objects = BodyMemberQuerySet.as_manager()  # type: ignore[misc,assignment]

    class Meta:
        verbose_name = _("body member")
        verbose_name_plural = _("body members")
        ordering = ["body", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "member_number"], condition=~Q(member_number=""), name="meetings_member_number_once"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"


class Meeting(ChangeLoggedModel, ScopedModel):
    body = models.ForeignKey(Body, verbose_name=_("meeting body"), on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=300)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online meeting link"), max_length=500, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=MeetingMode.choices, default=MeetingMode.IN_PERSON)
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    ical_uid = models.CharField(_("calendar UID"), max_length=100, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "body__unit__path"

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.ical_uid:
            self.ical_uid = f"{uuid.uuid4()}@tinhso"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])


class AgendaItem(ChangeLoggedModel, ScopedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("agenda item"), max_length=300)
    presenter = models.CharField(_("presenter"), max_length=150, blank=True)
    starts_at = models.TimeField(_("time"), null=True, blank=True)

    scope_path = MEETING_SCOPE

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "pk"]

    def __str__(self):
        return self.title


class Document(ChangeLoggedModel, ScopedModel):
    """A document of the meeting. A confidential one is registered by number and title only: it has no file."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), null=True, blank=True, on_delete=models.SET_NULL
    )
    title = models.CharField(_("title"), max_length=300)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    access = models.CharField(
        _("access"), max_length=10, choices=DocumentAccess.choices, default=DocumentAccess.MEMBERS
    )
    confidential = models.BooleanField(_("confidential (no file, paper only)"), default=False)
    file = models.FileField(_("file"), upload_to=UnguessableName("meetings/documents"), blank=True)

    scope_path = MEETING_SCOPE

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidential=False) | Q(file=""), name="meetings_confidential_document_has_no_file"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:document", args=[self.pk])


class DocumentRead(models.Model):
    """Who opened which document, how often (the secretary sees who prepared)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField(default=0)
    first_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "user"], name="meetings_document_read_once")]

    def __str__(self):
        return f"{self.document_id}/{self.user_id}: {self.count}"


class Notice(ChangeLoggedModel, ScopedModel):
    """The notice of one revision of a meeting to one member, and how far it got."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notices")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    revision = models.PositiveIntegerField(_("revision"))
    state = models.CharField(_("state"), max_length=10, choices=NoticeState.choices, default=NoticeState.QUEUED)
    message = models.ForeignKey("core.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    excuse = models.CharField(_("reason for absence"), max_length=300, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    scope_path = MEETING_SCOPE

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["meeting", "-revision", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user", "revision"], name="meetings_one_notice_per_revision")
        ]


class Attendance(ChangeLoggedModel, ScopedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    method = models.CharField(_("check-in method"), max_length=10, choices=CheckinMethod.choices)
    at = models.DateTimeField(_("at"))

    scope_path = MEETING_SCOPE

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "at"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="meetings_attendance_once")]


class Record(ChangeLoggedModel, ScopedModel):
    """The minutes or the resolution of a meeting: text, and once signed, a scan; published or not."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(_("kind"), max_length=10, choices=RecordKind.choices)
    number = models.CharField(_("number"), max_length=60, blank=True)
    text = models.TextField(_("text"), blank=True)
    scan = models.FileField(_("signed scan"), upload_to=UnguessableName("meetings/records"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    scope_path = MEETING_SCOPE

    class Meta:
        verbose_name = _("minutes or resolution")
        verbose_name_plural = _("minutes and resolutions")
        ordering = ["meeting", "kind"]
        constraints = [models.UniqueConstraint(fields=["meeting", "kind"], name="meetings_one_record_per_kind")]


class Decision(ChangeLoggedModel, ScopedModel):
    """A decision of the meeting with the five clarities; it becomes a work item of its owner."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    title = models.CharField(_("task"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("due date"))
    expected_output = models.TextField(_("expected output"))
    resources = models.TextField(_("resources"))
    coordination = models.TextField(_("coordination"))
    work_item = models.OneToOneField(
        "work.WorkItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = MEETING_SCOPE

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "deadline", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.meeting_id]) + f"#decision-{self.pk}"


class PartyOrganisation(ChangeLoggedModel, ScopedModel):
    """A party organisation (đảng bộ) whose cells roll out the e-party-member handbook."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        ordering = ["code"]

    def __str__(self):
        return self.name


class CellRollout(ChangeLoggedModel, ScopedModel):
    """One party cell: is the handbook deployed, how many members and how many accounts."""

    organisation = models.ForeignKey(PartyOrganisation, on_delete=models.CASCADE, related_name="cells")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("cell"), max_length=200)
    commune = models.CharField(_("commune"), max_length=120, blank=True)
    # The commune version the cell was recorded under; the dashboard places it in the tree of any day through
    # the units' snapshot (a cell of a merged commune lands on its successor, and back before the reform).
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("commune unit"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CellKind.choices, default=CellKind.SUBORDINATE)
    deployed = models.BooleanField(_("handbook deployed"), default=False)
    members = models.PositiveIntegerField(_("party members"), default=0)
    accounts = models.PositiveIntegerField(_("handbook accounts"), default=0)

    scope_path = "organisation__unit__path"

    class Meta:
        verbose_name = _("cell rollout")
        verbose_name_plural = _("cell rollout")
        ordering = ["organisation", "code"]
        permissions = [("import_cellrollout", "Can import the handbook rollout")]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="meetings_cell_code_once")]
