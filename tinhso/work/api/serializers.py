from rest_framework import serializers

from tinhso.core.api.fields import IdField

from ..choices import Priority, Quality
from ..models import WorkItem


class WorkItemSerializer(serializers.ModelSerializer):
    assignee_name = serializers.CharField(source="assignee.__str__", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True, default="")
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = WorkItem
        fields = [
            "id",
            "title",
            "description",
            "assignee",
            "assignee_name",
            "assigned_by",
            "organisation",
            "unit",
            "assigned_on",
            "due_date",
            "priority",
            "status",
            "product",
            "product_name",
            "quantity",
            "progress",
            "submitted_on",
            "accepted_on",
            "quality",
            "return_reason",
            "times_returned",
            "source_kind",
            "is_overdue",
        ]
        read_only_fields = fields

    def get_is_overdue(self, item) -> bool:
        from django.utils import timezone

        from ..choices import OPEN_STATUSES

        return item.status in OPEN_STATUSES and item.due_date < timezone.localdate()


class WorkItemCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    assignee = serializers.IntegerField(help_text="Id of the person (user) the work is given to.")
    assigned_on = serializers.DateField(required=False)
    due_date = serializers.DateField()
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    product = serializers.IntegerField(required=False, allow_null=True)
    quantity = serializers.CharField(required=False, default="1", help_text="A number of 0 or more.")


class WorkSubmitSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class WorkAcceptSerializer(serializers.Serializer):
    quality = serializers.ChoiceField(choices=Quality.choices)


class WorkReturnSerializer(serializers.Serializer):
    reason = serializers.CharField()


class WorkProgressSerializer(serializers.Serializer):
    progress = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class WorkExplanationLineSerializer(serializers.Serializer):
    code = serializers.CharField()
    criterion = serializers.CharField()
    points = serializers.DecimalField(max_digits=7, decimal_places=2)
    max_points = serializers.DecimalField(max_digits=7, decimal_places=2)
    explanation = serializers.CharField()


class EvaluationResultSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    person_name = serializers.CharField()
    period = serializers.CharField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    grade = serializers.CharField(allow_blank=True)
    grade_label = serializers.CharField(allow_blank=True)
    status = serializers.CharField()
    explanation = WorkExplanationLineSerializer(many=True)
    items = serializers.ListField(child=serializers.CharField())


# --- appeals ---------------------------------------------------------------------------------------


class AppealSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="staff.user_id", help_text="Id of the official (user).")
    person_name = serializers.CharField(source="staff.__str__")
    staff = serializers.IntegerField(source="staff_id", help_text="Id of the official's staff entry.")
    period = serializers.CharField(help_text="202603 (month), 2026Q1 (quarter) or 2026 (year).")
    period_label = serializers.SerializerMethodField()
    reason = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    filed_at = serializers.DateTimeField(source="created_at")
    decided_by = serializers.IntegerField(source="decided_by_id", allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    answer = serializers.CharField(allow_blank=True)
    new_grade = serializers.CharField(allow_blank=True)
    may_decide = serializers.SerializerMethodField(help_text="Whether the caller may decide it now.")

    def get_period_label(self, appeal) -> str:
        from tinhso.core.periods import parse_period

        return parse_period(appeal.period).label()

    def get_may_decide(self, appeal) -> bool:
        from .. import appeals

        request = self.context.get("request")
        return request is not None and appeals.may_decide(request.user, appeal)


class AppealCreateSerializer(serializers.Serializer):
    period = serializers.CharField(max_length=10, help_text="A month (2026-03), a quarter (2026Q1) or a year (2026).")
    reason = serializers.CharField(max_length=5000, allow_blank=True)


class AppealDecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[("accept", "accept"), ("reject", "reject")])
    answer = serializers.CharField(max_length=5000, allow_blank=True)
    grade = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", help_text="The year's grade after re-evaluation."
    )


# --- dashboard -------------------------------------------------------------------------------------


class DashboardResultSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]  # a field named label, as in the rest of the API
    ratio = serializers.DecimalField(max_digits=5, decimal_places=4)
    note = serializers.CharField(allow_blank=True)


class DashboardCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Items due so far in the period.")
    accepted = serializers.IntegerField()
    on_time = serializers.IntegerField(help_text="Accepted, submitted by the due date.")
    overdue = serializers.IntegerField(help_text="Still open after the due date.")
    done_percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    on_time_percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class DashboardUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class DashboardBodySerializer(DashboardCountsSerializer):
    organisation = serializers.IntegerField(source="key")
    name = serializers.CharField()
    unit = DashboardUnitSerializer(allow_null=True)
    results = DashboardResultSerializer(many=True, help_text="The body's registered unit results (plan tasks...).")
    grades = serializers.SerializerMethodField(
        help_text="The year's grades {code: count}, only for the body's head and personnel officers (else null)."
    )
    excellent = serializers.SerializerMethodField()
    allowed_excellent = serializers.IntegerField(allow_null=True)
    quota_breached = serializers.SerializerMethodField()

    def _shown(self, row) -> bool:
        return row.sees_grades

    def get_grades(self, row) -> dict[str, int] | None:
        return dict(row.grades) if self._shown(row) else None

    def get_excellent(self, row) -> int | None:
        return row.excellent if self._shown(row) else None

    def get_quota_breached(self, row) -> bool | None:
        return row.quota_breached if self._shown(row) else None


class DashboardPeriodSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    label = serializers.CharField(source="__str__")  # type: ignore[assignment]  # a field named label, as in the rest of the API
    start = serializers.DateField()
    end = serializers.DateField()


class DashboardSerializer(serializers.Serializer):
    period = DashboardPeriodSerializer()
    unit = DashboardUnitSerializer(allow_null=True, help_text="The administrative unit narrowed to (`?unit=`).")
    trail = DashboardUnitSerializer(many=True, help_text="From the top down to the unit narrowed to.")
    total = DashboardCountsSerializer()
    rows = DashboardBodySerializer(many=True)


class DashboardQuarterSerializer(serializers.Serializer):
    code = serializers.CharField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    grade = serializers.CharField(allow_blank=True)
    label = serializers.CharField(allow_blank=True)  # type: ignore[assignment]  # a field named label, as in the rest of the API
    is_final = serializers.BooleanField()


class DashboardYearGradeSerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    grade = serializers.CharField(allow_blank=True)
    proposed_grade = serializers.CharField(allow_blank=True)
    is_decided = serializers.BooleanField()


class DashboardPersonSerializer(DashboardCountsSerializer):
    staff = serializers.IntegerField(source="key")
    name = serializers.CharField()
    sees_scores = serializers.BooleanField(help_text="Whether the caller may see this person's scores.")
    quarters = DashboardQuarterSerializer(many=True, allow_null=True)
    year_grade = DashboardYearGradeSerializer(allow_null=True)


class DashboardBodyDetailSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(source="organisation.pk")
    name = serializers.CharField(source="organisation.__str__")
    period = DashboardPeriodSerializer()
    total = DashboardCountsSerializer()
    rows = DashboardPersonSerializer(many=True)


# --- the month's approval and the year's grade -----------------------------------------------------


class EvaluationGradeSerializer(serializers.Serializer):
    person = IdField(help_text="Id of the official (user).")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    grade = serializers.CharField(max_length=20, help_text="A grade code of the rules in force (excellent, good...).")
    decision = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="The recorded decision (number, date) for a grade above the score or beyond the quota.",
    )
    disqualifier = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class EvaluationReviewSerializer(serializers.Serializer):
    """Where an official's month stands in the review: the points and comments of each step so far."""

    person = serializers.IntegerField(source="staff.user_id")
    person_name = serializers.CharField(source="staff.__str__")
    period = serializers.SerializerMethodField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    self_points = serializers.DictField(child=serializers.CharField(), help_text="{criterion code: points}.")
    self_comment = serializers.CharField(allow_blank=True)
    manager_points = serializers.DictField(child=serializers.CharField())
    manager_comment = serializers.CharField(allow_blank=True)
    collective_comment = serializers.CharField(allow_blank=True)
    approved_by = serializers.IntegerField(source="approved_by_id", allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)

    def get_period(self, review) -> str:
        return f"{review.period[:4]}-{review.period[4:]}"


class EvaluationStepSerializer(serializers.Serializer):
    person = IdField(help_text="Id of the official (user).")
    period = serializers.CharField(max_length=10, help_text="The month: 2026-03.")


class EvaluationApproveSerializer(EvaluationStepSerializer):
    pass


class EvaluationPointsSerializer(EvaluationStepSerializer):
    points = serializers.DictField(
        child=serializers.CharField(max_length=20),
        allow_empty=True,
        help_text='{general criterion code: points}, e.g. {"B1": 5, "B2": 4.5}; each between 0 and its maximum.',
    )
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class EvaluationCommentSerializer(EvaluationStepSerializer):
    comment = serializers.CharField(max_length=5000, help_text="The collective's comment.")


class EvaluationReopenSerializer(EvaluationStepSerializer):
    reason = serializers.CharField(max_length=5000, help_text="Why the approved month is reopened (recorded).")


class YearGradeSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="staff.user_id")
    person_name = serializers.CharField(source="staff.__str__")
    year = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    proposed_grade = serializers.CharField(allow_blank=True)
    grade = serializers.CharField(allow_blank=True)
    decision = serializers.CharField(allow_blank=True)
    disqualifier = serializers.CharField(allow_blank=True)
    is_decided = serializers.BooleanField()
