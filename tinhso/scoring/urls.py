from django.contrib.auth.decorators import login_required
from django.urls import path

from . import views

app_name = "scoring"
urlpatterns = [
    path("", views.CriteriaSetListView.as_view(), name="criteriaset_list"),
    path("sets/add/", views.CriteriaSetEditView.as_view(), name="criteriaset_add"),
    path("sets/<int:pk>/", views.CriteriaSetDetailView.as_view(), name="criteriaset_detail"),
    path("sets/<int:pk>/edit/", views.CriteriaSetEditView.as_view(), name="criteriaset_edit"),
    path("sets/<int:pk>/criteria/add/", views.CriterionEditView.as_view(), name="criterion_add"),
    path("criteria/<int:criterion>/edit/", views.CriterionEditView.as_view(), name="criterion_edit"),
    path("evaluations/", views.EvaluationListView.as_view(), name="evaluation_list"),
    path("evaluations/<int:pk>/", views.EvaluationDetailView.as_view(), name="evaluation_detail"),
    path(
        "evaluations/<int:pk>/verify/", login_required(views.review), {"decision": "verify"}, name="evaluation_verify"
    ),
    path(
        "evaluations/<int:pk>/return/", login_required(views.review), {"decision": "return"}, name="evaluation_return"
    ),
    path("scores/<int:pk>/", login_required(views.enter_score), name="score_enter"),
    path("scores/<int:pk>/evidence/", login_required(views.score_evidence), name="score_evidence"),
]
