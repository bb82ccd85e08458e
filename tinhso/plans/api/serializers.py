from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import periods
from ..choices import RuleImportance
from ..models import DataElement, DataSet, Indicator, Plan, Report, Task
from ..models.planning import TASK_FIELDS


class DataElementSerializer(serializers.ModelSerializer):
    data_sets = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = DataElement
        fields = [
            "code",
            "name",
            "short_name",
            "description",
            "value_type",
            "aggregation",
            "unit_of_measure",
            "min_value",
            "max_value",
            "is_active",
            "data_sets",
        ]
        read_only_fields = fields


class DataSetSerializer(serializers.ModelSerializer):
    data_elements = serializers.SerializerMethodField(help_text="Codes of the data elements, in the form's order.")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_data_elements(self, data_set) -> list[str]:
        return [member.data_element.code for member in data_set.members.all()]

    class Meta:
        model = DataSet
        fields = ["code", "name", "short_name", "period_type", "unit_level", "due_days", "is_active", "data_elements"]
        read_only_fields = fields


class IndicatorSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="ratio, total or unit_count.")

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "short_name",
            "pillar",
            "group",
            "kind",
            "numerator",
            "denominator",
            "factor",
            "count_level",
            "condition_operator",
            "condition_value",
            "unit_of_measure",
            "direction",
            "decimals",
            "rounding",
            "display_format",
            "is_active",
        ]
        read_only_fields = fields


class UnitRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class IndicatorValueSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    unit = UnitRefSerializer()
    period = serializers.CharField(help_text="The period asked for.")
    data_period = serializers.CharField(allow_null=True, help_text="The period the figure comes from.")
    structure_date = serializers.DateField()
    numerator = serializers.DecimalField(max_digits=28, decimal_places=6, allow_null=True)
    denominator = serializers.DecimalField(max_digits=28, decimal_places=6, allow_null=True)
    value = serializers.DecimalField(max_digits=28, decimal_places=6, allow_null=True)
    display = serializers.CharField(help_text="As published, e.g. 98,8% · 72% · 4/9.")
    has_data = serializers.BooleanField()


class PlanSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "number", "title", "unit", "unit_code", "issued_on", "issuer", "start_date", "end_date"]
        read_only_fields = fields


class TaskSerializer(serializers.ModelSerializer):
    """A task; creating one publishes it unless `publish` is false, so the five clarities are required."""

    indicators = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Indicator.objects.all(), required=False
    )
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    publish = serializers.BooleanField(write_only=True, required=False, default=True)
    # Plain strings, so as not to clash with the organisations' "kind" in the schema; the service checks them.
    kind = serializers.CharField(
        required=False, default="key_task", help_text="key_task, model, project or solution_group."
    )

    class Meta:
        model = Task
        fields = [
            "id",
            *(name for name in TASK_FIELDS if name != "responsible_user"),
            "indicators",
            "unit_code",
            "status",
            "progress",
            "is_overdue",
            "publish",
        ]
        read_only_fields = ["id", "unit_code", "status", "progress", "is_overdue"]
        extra_kwargs = {
            name: {"required": False}
            for name in (
                "title",
                "owner_organisation",
                "responsible_person",
                "start_date",
                "due_date",
                "expected_output",
                "budget_vnd",
                "budget_source",
                "staffing",
            )
        }


class TaskProgressSerializer(serializers.Serializer):
    progress = serializers.IntegerField(min_value=0, max_value=100)
    status = serializers.ChoiceField(choices=["in_progress", "completed", "cancelled"], required=False)
    note = serializers.CharField()


class ReportValueSerializer(serializers.Serializer):
    dataElement = serializers.CharField(source="data_element.code")
    value = serializers.CharField()
    comment = serializers.CharField()
    followup = serializers.BooleanField(source="is_outlier")


class ReportSerializer(serializers.ModelSerializer):
    data_set = serializers.CharField(source="data_set.code", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    values = ReportValueSerializer(many=True, read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "data_set",
            "unit_code",
            "unit_name",
            "period",
            "due_date",
            "status",
            "first_submitted_at",
            "submitted_at",
            "decided_at",
            "return_reason",
            "values",
        ]
        read_only_fields = fields


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ImportCountSerializer(serializers.Serializer):
    imported = serializers.IntegerField()
    updated = serializers.IntegerField()
    ignored = serializers.IntegerField()
    deleted = serializers.IntegerField()


class ConflictSerializer(serializers.Serializer):
    object = serializers.CharField()
    property = serializers.CharField()
    value = serializers.CharField(help_text="Why the row was not imported, in the user's language.")
    row = serializers.IntegerField(help_text="Position in dataValues (from 1) or line of the CSV file.")
    indexes = serializers.ListField(child=serializers.IntegerField())


class ImportSummarySerializer(serializers.Serializer):
    responseType = serializers.CharField()
    status = serializers.ChoiceField(choices=["SUCCESS", "WARNING", "ERROR"])
    description = serializers.CharField()
    importOptions = serializers.DictField()
    importCount = ImportCountSerializer()
    conflicts = ConflictSerializer(many=True)


class DataValueSerializer(serializers.Serializer):
    dataElement = serializers.CharField()
    period = serializers.CharField()
    orgUnit = serializers.CharField()
    value = serializers.CharField()
    comment = serializers.CharField(required=False, allow_blank=True)
    storedBy = serializers.CharField(required=False, allow_blank=True)
    lastUpdated = serializers.DateTimeField(required=False)
    followup = serializers.BooleanField(required=False)


class DataValueSetSerializer(serializers.Serializer):
    dataSet = serializers.CharField(required=False, allow_blank=True)
    period = serializers.CharField(required=False, allow_blank=True)
    orgUnit = serializers.CharField(required=False, allow_blank=True)
    dataValues = DataValueSerializer(many=True)


class ViolationSerializer(serializers.Serializer):
    """One rule one report's values break (plans.violations.Row)."""

    report = serializers.IntegerField(source="report.pk")
    unit = UnitRefSerializer(source="report.unit")
    period = serializers.CharField(source="report.period", help_text="DHIS2 period code: 2024, 2024Q1, 202411.")
    period_label = serializers.SerializerMethodField(help_text="The period in words, e.g. Tháng 11/2024.")
    data_set = serializers.CharField(source="report.data_set.code")
    report_status = serializers.CharField(source="report.status")
    rule = serializers.CharField(source="rule.name")
    importance = serializers.ChoiceField(choices=RuleImportance.choices)
    left_value = serializers.DecimalField(max_digits=28, decimal_places=6, allow_null=True)
    right_value = serializers.DecimalField(max_digits=28, decimal_places=6, allow_null=True)
    message = serializers.CharField()

    def get_period_label(self, row) -> str:
        return str(periods.parse(row.report.period).label())
