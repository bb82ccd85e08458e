from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhso.core.views import ObjectListView, ServiceFormView

from .. import services
from ..filtersets import ActivityTypeFilterSet, MemberFilterSet
from ..forms import ActivityTypeForm
from ..models import ActivityType, Member
from ..tables import ActivityTypeTable, MemberTable
from .common import PermissionRequiredMixin
from .teams import StructureDateFilterMixin


class MemberListView(StructureDateFilterMixin, ObjectListView):
    model = Member
    filterset_class = MemberFilterSet
    table_class = MemberTable
    title = gettext_lazy("Team members")
    template_name = "teams/member_list.html"
    export_name = "thanh-vien-to-cds"

    def get_queryset(self):
        return super().get_queryset().select_related("person", "team")


class ActivityTypeListView(PermissionRequiredMixin, ObjectListView):
    model = ActivityType
    table_class = ActivityTypeTable
    filterset_class = ActivityTypeFilterSet
    title = gettext_lazy("Catalogue of field activities")
    add_url_name = "teams:activitytype_add"
    add_permission = "teams.add_activitytype"
    required_permission = "teams.view_activitytype"
    export_name = "danh-muc-hoat-dong"
    template_name = "teams/activitytype_list.html"

    def get_queryset(self):
        return ActivityType.objects.all()


class ActivityTypeFormView(PermissionRequiredMixin, ServiceFormView):
    form_class = ActivityTypeForm
    required_permission = "teams.change_activitytype"

    def dispatch(self, request, *args, **kwargs):
        self.activity_type = get_object_or_404(ActivityType, pk=kwargs["pk"]) if "pk" in kwargs else None
        return super().dispatch(request, *args, **kwargs)

    @property
    def title(self):
        return _("Edit activity type") if self.activity_type else _("New activity type")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.activity_type}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "cancel_url": reverse("teams:activitytype_list")}

    def perform(self, form):
        data = {name: form.cleaned_data[name] for name in form.fields}
        saved = services.save_activity_type(self.activity_type, actor=self.request.user, data=data)
        messages.success(self.request, _("Saved."))
        return saved

    def get_success_url(self, result=None):
        return reverse("teams:activitytype_list")
