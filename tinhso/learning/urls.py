from django.urls import path

from . import course_views, editor_views, live_views, views

app_name = "learning"
urlpatterns = [
    path("", views.ContestListView.as_view(), name="contest_list"),
    path("contests/new/", editor_views.ContestFormView.as_view(), name="contest_new"),
    path("contests/<int:pk>/edit/", editor_views.ContestFormView.as_view(), name="contest_edit"),
    path("contests/<int:pk>/start/", views.AttemptStartView.as_view(), name="attempt_start"),
    path("contests/<int:pk>/leaderboard/", views.LeaderboardView.as_view(), name="leaderboard"),
    path("contests/<int:pk>/report/", views.ParticipationReportView.as_view(), name="report"),
    path("contests/<int:pk>/certificate.pdf", views.ContestCertificatePdfView.as_view(), name="contest_certificate"),
    path("contests/<int:pk>/certificates.pdf", views.WinnersCertificatesPdfView.as_view(), name="winners_certificates"),
    path(
        "certificates/contest/<str:code>/",
        views.ContestCertificateVerifyView.as_view(),
        name="contest_certificate_verify",
    ),
    path("attempts/<int:pk>/", views.AttemptView.as_view(), name="attempt"),
    path(
        "attempts/<int:pk>/questions/<int:question>/image/",
        views.AttemptQuestionImageView.as_view(),
        name="attempt_question_image",
    ),
    path("bank/<int:pk>/image/", editor_views.QuestionImageView.as_view(), name="question_image"),
    path("bank/", editor_views.QuestionListView.as_view(), name="bank"),
    path("bank/new/", editor_views.QuestionFormView.as_view(), name="question_new"),
    path("bank/import/", editor_views.ImportView.as_view(), name="bank_import"),
    path("bank/<int:pk>/edit/", editor_views.QuestionFormView.as_view(), name="question_edit"),
    path("courses/", course_views.CourseListView.as_view(), name="courses"),
    path("courses/new/", editor_views.CourseFormView.as_view(), name="course_new"),
    path("courses/<int:pk>/", course_views.CourseDetailView.as_view(), name="course"),
    path("courses/<int:pk>/edit/", editor_views.CourseFormView.as_view(), name="course_edit"),
    path("courses/<int:course>/lessons/new/", editor_views.LessonFormView.as_view(), name="lesson_new"),
    path("lessons/<int:pk>/", course_views.LessonView.as_view(), name="lesson"),
    path("lessons/<int:pk>/edit/", editor_views.LessonFormView.as_view(), name="lesson_edit"),
    path("lessons/<int:pk>/image/", course_views.LessonImageView.as_view(), name="lesson_image"),
    path("live/", live_views.LiveHomeView.as_view(), name="live"),
    path("live/new/", live_views.LiveNewView.as_view(), name="live_new"),
    path("live/<int:pk>/host/", live_views.LiveHostView.as_view(), name="live_host"),
    path("live/<int:pk>/play/", live_views.LivePlayView.as_view(), name="live_play"),
    path(
        "live/<int:pk>/questions/<int:index>/image/",
        live_views.LiveQuestionImageView.as_view(),
        name="live_question_image",
    ),
    path("levels/", views.LearnerLevelReportView.as_view(), name="levels"),
    path("citizens/", views.DigitalCitizenCountView.as_view(), name="citizens"),
    path("certificates/<int:pk>.pdf", views.CertificatePdfView.as_view(), name="certificate_pdf"),
    path("certificates/verify/<uuid:code>/", views.CertificateVerifyView.as_view(), name="certificate_verify"),
]
