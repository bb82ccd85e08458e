from rest_framework import serializers

from ..models import CriteriaSet, Criterion, Evaluation, Score
from ..rules import Inputs, score


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = [
            "id",
            "code",
            "name",
            "parent",
            "order",
            "max_points",
            "rule",
            "thresholds",
            "evidence_required",
            "source",
            "source_key",
            "evidence_source",
        ]


class CriteriaSetSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = CriteriaSet
        fields = [
            "id",
            "code",
            "name",
            "subject_kind",
            "unit_code",
            "first_period",
            "last_period",
            "verifying_level",
            "classification",
            "criteria",
        ]


class ScoreSerializer(serializers.ModelSerializer):
    criterion_code = serializers.CharField(source="criterion.code", read_only=True)
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = Score
        fields = [
            "criterion_code",
            "value",
            "numerator",
            "denominator",
            "answer",
            "entered_points",
            "points",
            "explanation",
            "evidence_note",
            "recorded_at",
        ]

    def get_explanation(self, saved) -> str:
        inputs = Inputs(
            value=saved.value,
            numerator=saved.numerator,
            denominator=saved.denominator,
            answer=saved.answer,
            points=saved.entered_points,
        )
        return score(saved.criterion, inputs).explanation


class EvaluationSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    scores = ScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "criteria_set",
            "period",
            "subject_label",
            "unit_code",
            "total",
            "max_total",
            "percent",
            "classification",
            "status",
            "verified_at",
            "scores",
        ]
