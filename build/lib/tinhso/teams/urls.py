from django.urls import path

from . import views

app_name = "teams"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("registry/", views.TeamListView.as_view(), name="team_list"),
    path("add/", views.TeamCreateView.as_view(), name="team_add"),
    path("<int:pk>/", views.TeamDetailView.as_view(), name="team_detail"),
    path("<int:team_pk>/edit/", views.TeamEditView.as_view(), name="team_edit"),
    path("<int:team_pk>/members/add/", views.MemberAddView.as_view(), name="member_add"),
    path("<int:team_pk>/activities/new/", views.ActivityCreateView.as_view(), name="activity_add"),
    path("members/", views.MemberListView.as_view(), name="member_list"),
    path("members/<int:pk>/edit/", views.MemberEditView.as_view(), name="member_edit"),
    path("members/import/", views.MemberImportView.as_view(), name="member_import"),
    path("members/import/template.xlsx", views.member_import_template, name="member_import_template"),
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/new/", views.ActivityStartView.as_view(), name="activity_start"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/edit/", views.ActivityEditView.as_view(), name="activity_edit"),
    path("activities/<int:pk>/delete/", views.ActivityDeleteView.as_view(), name="activity_delete"),
    path("evidence/<int:pk>/", views.EvidenceFileView.as_view(), name="evidence_file"),
    path("rankings/", views.RankingsView.as_view(), name="rankings"),
    path("rankings/compute/", views.EvaluateView.as_view(), name="evaluate"),
    path("reports/", views.ReportView.as_view(), name="reports"),
    path("activity-types/", views.ActivityTypeListView.as_view(), name="activitytype_list"),
    path("activity-types/add/", views.ActivityTypeFormView.as_view(), name="activitytype_add"),
    path("activity-types/<int:pk>/edit/", views.ActivityTypeFormView.as_view(), name="activitytype_edit"),
]
