"""The competence framework is data the province keeps: the DX centre corrects a name or adds a competence
here (every change is in the change log); questions and courses are tagged with these rows."""

from django.contrib import admin

from .models import Competence, CompetenceDomain


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
