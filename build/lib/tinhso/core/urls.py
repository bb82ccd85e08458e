from django.urls import path

from . import views
from .metrics import metrics_view

app_name = "core"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz/", views.health, name="health"),
    path("livez/", views.liveness, name="liveness"),
    path("metrics", metrics_view, name="metrics"),
    path("changes/", views.ChangeListView.as_view(), name="objectchange_list"),
    path("jobs/<uuid:pk>/", views.JobDetailView.as_view(), name="job_detail"),
    path("structure-date/", views.set_structure_date, name="set_structure_date"),
]
