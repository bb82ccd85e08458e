from rest_framework import serializers

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
