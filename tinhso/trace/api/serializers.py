from rest_framework import serializers

from ..models import Garden, Tree


class TreeSerializer(serializers.ModelSerializer):
    garden = serializers.PrimaryKeyRelatedField(queryset=Garden.objects.none())
    public_latitude = serializers.DecimalField(max_digits=9, decimal_places=6, read_only=True)
    public_longitude = serializers.DecimalField(max_digits=9, decimal_places=6, read_only=True)

    class Meta:
        model = Tree
        fields = [
            "id",
            "garden",
            "unit",
            "number",
            "variety",
            "estimated_age",
            "age_method",
            "age_source",
            "girth_cm",
            "height_m",
            "canopy_m",
            "altitude_m",
            "latitude",
            "longitude",
            "public_latitude",
            "public_longitude",
            "story_vi",
            "story_en",
            "status",
            "short_code",
            "link",
        ]
        read_only_fields = ["unit", "short_code", "link"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # A garden id sent by the client is looked up among the gardens this person may change.
            self.fields["garden"].queryset = Garden.objects.restrict(request.user, "change")


class ReadingSerializer(serializers.Serializer):
    time = serializers.DateTimeField()
    temperature = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=-40, max_value=70, required=False)
    humidity = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False)
    soil_moisture = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False)


class ReadingBatchSerializer(serializers.Serializer):
    readings = ReadingSerializer(many=True, allow_empty=False, max_length=2000)


class ReadingResultSerializer(serializers.Serializer):
    stored = serializers.IntegerField()
    duplicates = serializers.IntegerField()
