"""The competence framework is data the province keeps: the DX centre corrects a name or adds a competence
here (every change is in the change log); questions and courses are tagged with these rows."""

from django.contrib import admin

from .models import Competence, CompetenceDomain, CompetenceLevel, Course, LearnerLevel, Question, QuestionPool


class CompetenceInline(admin.TabularInline):
    model = Competence
    fields = ["code", "name", "order"]
    extra = 0


@admin.register(CompetenceDomain)
class CompetenceDomainAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
    inlines = [CompetenceInline]

    def has_delete_permission(self, request, obj=None):
        return False  # questions, courses and learners' levels refer to a domain by its number


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "domain"]
    list_filter = ["domain"]
    search_fields = ["code", "name"]


@admin.register(CompetenceLevel)
class CompetenceLevelAdmin(admin.ModelAdmin):
    """The framework's levels: a province may rename them or keep fewer; a level in use is not deleted."""

    list_display = ["number", "name", "stage", "name_en", "stage_en"]
    actions = None  # one by one, so each deletion is checked

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or not any(
            model.objects.filter(level=obj.number).exists() for model in (Question, Course, QuestionPool, LearnerLevel)
        )
