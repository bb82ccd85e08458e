from django.urls import path

from .views import dashboard, definitions, reports, tasks

app_name = "plans"
urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    path("units/<int:unit_id>/", dashboard.DashboardView.as_view(), name="unit_dashboard"),
    path(
        "units/<int:unit_id>/export.xlsx",
        dashboard.DashboardExportView.as_view(),
        {"file_format": "xlsx"},
        name="dashboard_xlsx",
    ),
    path(
        "units/<int:unit_id>/report.pdf",
        dashboard.DashboardExportView.as_view(),
        {"file_format": "pdf"},
        name="dashboard_pdf",
    ),
    path("indicators/", definitions.IndicatorListView.as_view(), name="indicator_list"),
    path("indicators/<str:code>/", dashboard.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("datasets/", definitions.DataSetListView.as_view(), name="dataset_list"),
    path("datasets/<str:code>/", definitions.DataSetDetailView.as_view(), name="dataset_detail"),
    path("dataelements/", definitions.DataElementListView.as_view(), name="dataelement_list"),
    path("reports/", reports.ReportListView.as_view(), name="report_list"),
    path("reports/open/", reports.OpenReportView.as_view(), name="report_open"),
    path("reports/completeness/", reports.CompletenessView.as_view(), name="completeness"),
    path("reports/violations/", reports.ViolationListView.as_view(), name="violation_list"),
    path("reports/<int:pk>/", reports.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/approve/", reports.ReportDecisionView.as_view(decision="approve"), name="report_approve"),
    path("reports/<int:pk>/return/", reports.ReportDecisionView.as_view(decision="return"), name="report_return"),
    path("values/<int:pk>/evidence/", reports.EvidenceView.as_view(), name="value_evidence"),
    path("evidence/<int:pk>/file/", reports.EvidenceFileView.as_view(), name="evidence_file"),
    path("evidence/<int:pk>/delete/", reports.EvidenceDeleteView.as_view(), name="evidence_delete"),
    path("import/", reports.ImportView.as_view(), name="import"),
    path("plans/", tasks.PlanListView.as_view(), name="plan_list"),
    path("plans/add/", tasks.PlanEditView.as_view(), name="plan_add"),
    path("plans/<int:pk>/", tasks.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/edit/", tasks.PlanEditView.as_view(), name="plan_edit"),
    path("tasks/", tasks.TaskListView.as_view(), name="task_list"),
    path("tasks/add/", tasks.TaskCreateView.as_view(), name="task_add"),
    path("tasks/<int:pk>/", tasks.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/edit/", tasks.TaskEditView.as_view(), name="task_edit"),
    path("tasks/<int:pk>/publish/", tasks.TaskPublishView.as_view(), name="task_publish"),
    path("tasks/<int:pk>/progress/", tasks.TaskProgressView.as_view(), name="task_progress"),
    path("inbox/", tasks.InboxView.as_view(), name="inbox"),
    path("score/", tasks.ScoreView.as_view(), name="score"),
]
