from django.urls import path

from .views import (
    AppealViewSet,
    CatalogueImportView,
    DashboardBodyView,
    DashboardView,
    EvaluationApproveView,
    EvaluationCommentView,
    EvaluationGradeView,
    EvaluationManagerReviewView,
    EvaluationReopenView,
    EvaluationSelfAssessmentView,
    EvaluationView,
    WorkItemViewSet,
)


def register(router):
    # Registered before "work": /work/appeals/ is a resource of its own, never read as /work/<id>/ (whose id is
    # digits only anyway).
    router.register("work/appeals", AppealViewSet, basename="workappeal")
    router.register("work", WorkItemViewSet, basename="workitem")
    return [
        path("work/catalogue/import/", CatalogueImportView.as_view(), name="work-catalogue-import"),
        path("work/dashboard/", DashboardView.as_view(), name="work-dashboard"),
        path("work/dashboard/<int:organisation>/", DashboardBodyView.as_view(), name="work-dashboard-body"),
        path("evaluations/", EvaluationView.as_view(), name="work-evaluations"),
        path("evaluations/self-assessment/", EvaluationSelfAssessmentView.as_view(), name="work-evaluations-self"),
        path("evaluations/review/", EvaluationManagerReviewView.as_view(), name="work-evaluations-review"),
        path("evaluations/comment/", EvaluationCommentView.as_view(), name="work-evaluations-comment"),
        path("evaluations/approve/", EvaluationApproveView.as_view(), name="work-evaluations-approve"),
        path("evaluations/reopen/", EvaluationReopenView.as_view(), name="work-evaluations-reopen"),
        path("evaluations/grade/", EvaluationGradeView.as_view(), name="work-evaluations-grade"),
    ]
