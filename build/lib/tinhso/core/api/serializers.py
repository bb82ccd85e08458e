from rest_framework import serializers

from tinhso.core.jobs import live_progress
from tinhso.core.models import Job, ObjectChange


class ObjectChangeSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()
    user = serializers.CharField(source="user_name", read_only=True)

    class Meta:
        model = ObjectChange
        fields = [
            "id",
            "time",
            "user",
            "request_id",
            "source",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "prechange_data",
            "postchange_data",
        ]

    def get_object_type(self, change) -> str:
        return f"{change.object_type.app_label}.{change.object_type.model}"


class JobSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "status",
            "progress",
            "result",
            "created_at",
            "started_at",
            "finished_at",
        ]

    def get_progress(self, job) -> dict:
        done, total, message = live_progress(job)
        return {"done": done, "total": total, "message": message}
