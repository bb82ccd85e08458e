from django.urls import path

from . import course_live, views


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
        path("courses/", course_live.CourseListView.as_view(), name="course-list"),
        path("courses/progress/", course_live.MyProgressView.as_view(), name="course-progress"),
        path("courses/<int:pk>/", course_live.CourseDetailView.as_view(), name="course-detail"),
        path("lessons/<int:pk>/complete/", course_live.LessonCompleteView.as_view(), name="lesson-complete"),
        path("live/", course_live.LiveRoundListView.as_view(), name="liveround-list"),
        path("live/join/", course_live.LiveJoinView.as_view(), name="liveround-join"),
        path("live/<int:pk>/", course_live.LiveRoundDetailView.as_view(), name="liveround-detail"),
        path("live/<int:pk>/state/", course_live.LiveStateView.as_view(), name="liveround-state"),
        path("live/<int:pk>/answers/", course_live.LiveAnswerView.as_view(), name="liveround-answer"),
        path(
            "live/<int:pk>/advance/",
            course_live.LiveHostActionView.as_view(action="advance"),
            name="liveround-advance",
        ),
        path("live/<int:pk>/end/", course_live.LiveHostActionView.as_view(action="end"), name="liveround-end"),
    ]
