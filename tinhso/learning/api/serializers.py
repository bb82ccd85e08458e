from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tinhso.units.models import Organisation, Unit

from ..formats import FORMATS
from ..models import Contest, Participation, Question, QuestionPool


class QuestionImageSerializer(serializers.Serializer):
    url = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt = serializers.CharField()


class QuestionSerializer(serializers.ModelSerializer):
    image = serializers.SerializerMethodField(
        help_text="The question's picture, for those who may change the question: a URL of the bank's image view "
        "(null when it has none, or the caller may only read the bank)."
    )

    class Meta:
        model = Question
        fields = ["id", "unit", "kind", "name", "text", "data", "topic", "domain", "level", "is_active", "image"]

    @extend_schema_field(QuestionImageSerializer(allow_null=True))
    def get_image(self, question: Question) -> dict | None:
        request = self.context.get("request")
        if not question.image or request is None:
            return None
        if not request.user.has_perm("learning.change_question", question):
            return None  # the image view would refuse them: no address that does not open
        return question.picture(reverse("learning:question_image", args=[question.pk]))


class PoolSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuestionPool
        fields = ["topic", "domain", "level", "count"]


class ScopedUnitField(serializers.PrimaryKeyRelatedField):
    """A unit id from the client is looked up among the units the caller may see (else: does not exist)."""

    def get_queryset(self):
        return Unit.objects.restrict(self.context["request"].user, "view")


class ContestSerializer(serializers.ModelSerializer):
    question_count = serializers.IntegerField(read_only=True)
    unit = ScopedUnitField()
    pools = PoolSerializer(many=True)
    eligible_units = ScopedUnitField(many=True, required=False)
    eligible_organisations = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Organisation.objects.all()
    )

    class Meta:
        model = Contest
        fields = [
            "id",
            "title",
            "purpose",
            "description",
            "unit",
            "opens_at",
            "closes_at",
            "time_limit_minutes",
            "attempts_allowed",
            "grading",
            "review",
            "eligibility",
            "eligible_units",
            "eligible_organisations",
            "pools",
            "question_count",
            "is_published",
        ]


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField()
    format = serializers.ChoiceField(choices=sorted(FORMATS))
    dryRun = serializers.BooleanField(default=False)
    unit = serializers.CharField(required=False, help_text="Code of the owner unit; default: the caller's unit.")


class LineErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    imported = serializers.IntegerField()
    dryRun = serializers.BooleanField()
    errors = LineErrorSerializer(many=True)


class PublicQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    choices = serializers.ListField(child=serializers.DictField(), required=False)
    lefts = serializers.ListField(child=serializers.CharField(), required=False)
    rights = serializers.ListField(child=serializers.CharField(), required=False)
    image = QuestionImageSerializer(
        allow_null=True, help_text="The question's picture: a URL only the attempt's participant may open."
    )


class AttemptViewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    contest = serializers.IntegerField()
    number = serializers.IntegerField()
    status = serializers.CharField()
    started_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField()
    seconds_left = serializers.IntegerField()
    questions = PublicQuestionSerializer(many=True)
    answers = serializers.DictField()
    score = serializers.FloatField(allow_null=True)
    max_score = serializers.FloatField()
    review = serializers.DictField(required=False)


class AnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(
        help_text="Question id → answer: a choice key, a list of keys, true/false, text, "
        "a number, or for matching the right-hand item chosen for each left item."
    )


class LeaderboardRowSerializer(serializers.ModelSerializer):
    rank = serializers.IntegerField()
    name = serializers.CharField(source="user.__str__")
    unit = serializers.CharField(source="unit.name", default="")
    organisation = serializers.CharField(source="organisation.name", default="")

    class Meta:
        model = Participation
        fields = ["rank", "name", "unit", "organisation", "grade", "seconds", "attempts"]
