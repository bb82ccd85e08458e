from django.urls import path

from . import notification_views, views
from .metrics import metrics_view

app_name = "core"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz/", views.health, name="health"),
    path("livez/", views.liveness, name="liveness"),
    path("metrics", metrics_view, name="metrics"),
    path("changes/", views.ChangeListView.as_view(), name="objectchange_list"),
    path("jobs/<uuid:pk>/", views.JobDetailView.as_view(), name="job_detail"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job_download"),
    path("notifications/", notification_views.InboxView.as_view(), name="notification_list"),
    path("notifications/<int:pk>/read/", notification_views.MarkReadView.as_view(), name="notification_read"),
    path("notifications/read-all/", notification_views.MarkAllReadView.as_view(), name="notification_read_all"),
    path("notifications/preferences/", notification_views.PreferencesView.as_view(), name="notification_preferences"),
    path("notifications/log/", notification_views.DeliveryListView.as_view(), name="delivery_list"),
    path("structure-date/", views.set_structure_date, name="set_structure_date"),
]
