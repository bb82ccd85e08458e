from django.urls import path

from . import views

app_name = "work"

urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("new/", views.WorkItemCreateView.as_view(), name="item_add"),
    path("<int:pk>/", views.WorkItemDetailView.as_view(), name="item_detail"),
    path("<int:pk>/<str:action>/", views.item_action, name="item_action"),
    path("evaluations/", views.EvaluationHomeView.as_view(), name="evaluation_home"),
    path("appeals/", views.AppealListView.as_view(), name="appeal_list"),
    path("appeals/new/", views.AppealCreateView.as_view(), name="appeal_add"),
    path("appeals/<int:pk>/", views.AppealDetailView.as_view(), name="appeal_detail"),
    path("appeals/<int:pk>/decide/", views.appeal_decide, name="appeal_decide"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/<int:organisation>/", views.DashboardBodyView.as_view(), name="dashboard_body"),
    path("evaluations/<int:staff>/<str:period>/", views.MonthView.as_view(), name="month_detail"),
    path("evaluations/<int:staff>/<int:year>/grade/", views.grade_decide, name="grade_decide"),
    path("evaluations/<int:staff>/<str:period>/<str:step>/", views.review_step, name="review_step"),
    path("units/<int:organisation>/<int:year>.xlsx", views.unit_table, name="unit_table"),
    path("dossier/<int:staff>/<int:year>.pdf", views.dossier, name="dossier"),
]
