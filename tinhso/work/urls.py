from django.urls import path

from . import views

app_name = "work"

urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("new/", views.WorkItemCreateView.as_view(), name="item_add"),
    path("<int:pk>/", views.WorkItemDetailView.as_view(), name="item_detail"),
    path("<int:pk>/<str:action>/", views.item_action, name="item_action"),
    path("evaluations/", views.EvaluationHomeView.as_view(), name="evaluation_home"),
    path("evaluations/<int:staff>/<str:period>/", views.MonthView.as_view(), name="month_detail"),
    path("evaluations/<int:staff>/<str:period>/<str:step>/", views.review_step, name="review_step"),
    path("units/<int:organisation>/<int:year>.xlsx", views.unit_table, name="unit_table"),
    path("dossier/<int:staff>/<int:year>.pdf", views.dossier, name="dossier"),
]
