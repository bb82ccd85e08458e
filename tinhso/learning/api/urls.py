from django.urls import path

from . import views


def register(router):
    router.register("questions", views.QuestionViewSet, basename="question")
    return [
        path("questions/import/", views.QuestionImportView.as_view(), name="question-import"),
        path("questions/export/", views.QuestionExportView.as_view(), name="question-export"),
        path("contests/", views.ContestListView.as_view(), name="contest-list"),
        path("contests/<int:pk>/attempts/", views.AttemptStartView.as_view(), name="contest-attempt-start"),
        path("contests/<int:pk>/leaderboard/", views.LeaderboardView.as_view(), name="contest-leaderboard"),
        path("attempts/<int:pk>/", views.AttemptDetailView.as_view(), name="attempt-detail"),
        path("attempts/<int:pk>/answers/", views.AttemptAnswersView.as_view(), name="attempt-answers"),
        path("attempts/<int:pk>/finish/", views.AttemptFinishView.as_view(), name="attempt-finish"),
    ]
