"""Speaker cluster pages: the list with live status, the detail, adding one, editing, new credentials."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from tinhso.core.views import ObjectDetailView, ObjectListView, ServiceFormView

from .. import services
from ..filtersets import ClusterFilterSet
from ..forms import ClusterEditForm, ClusterForm
from ..models import Delivery, PlayEvent, SpeakerCluster
from ..services import OPEN_DELIVERY_STATES
from ..tables import ClusterTable


class ClusterListView(ObjectListView):
    model = SpeakerCluster
    queryset = SpeakerCluster.objects.select_related("unit")
    filterset_class = ClusterFilterSet
    table_class = ClusterTable
    template_name = "radio/object_list.html"
    extra_context = {"live": True}
    title = _("Speaker clusters")
    add_url_name = "radio:cluster_add"
    add_permission = "radio.add_speakercluster"
    export_name = "speaker-clusters"


class ClusterDetailView(ObjectDetailView):
    model = SpeakerCluster
    queryset = SpeakerCluster.objects.select_related("unit")
    template_name = "radio/cluster_detail.html"

    def get_context_data(self, **kwargs):
        cluster = self.object
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "queue": Delivery.objects.filter(cluster=cluster, state__in=OPEN_DELIVERY_STATES)
            .select_related("bulletin")
            .order_by("rank", "starts_at")[:20],
            "events": PlayEvent.objects.filter(cluster=cluster).select_related("bulletin")[:20],
            "can_change": user.has_perm("radio.change_speakercluster", cluster),
            "can_reset": user.has_perm("radio.reset_password_speakercluster", cluster),
        }


def credentials_page(request, cluster, password):
    """The one time the password is shown: it is not stored anywhere in clear."""
    return render(request, "radio/cluster_credentials.html", {"object": cluster, "password": password})


class ClusterCreateView(ServiceFormView):
    form_class = ClusterForm
    title = _("Add a speaker cluster")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("radio.add_speakercluster"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        self.created = services.create_cluster(actor=self.request.user, **form.cleaned_data)
        return self.created[0]

    def form_valid(self, form):
        response = super().form_valid(form)
        if hasattr(self, "created"):
            return credentials_page(self.request, *self.created)
        return response


class ClusterEditView(ServiceFormView):
    form_class = ClusterEditForm
    title = _("Edit the speaker cluster")

    def dispatch(self, request, *args, **kwargs):
        queryset = SpeakerCluster.objects.restrict(request.user, "change")
        self.cluster = get_object_or_404(queryset, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.cluster}

    def perform(self, form):
        return services.update_cluster(self.cluster, actor=self.request.user, **form.cleaned_data)


class ClusterResetView(LoginRequiredMixin, View):
    def post(self, request, pk):
        cluster = get_object_or_404(SpeakerCluster.objects.restrict(request.user, "change"), pk=pk)
        password = services.reset_password(cluster, actor=request.user)
        return credentials_page(request, cluster, password)
