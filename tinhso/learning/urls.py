from django.urls import path

from . import views

app_name = "learning"
urlpatterns = [
    path("", views.ContestListView.as_view(), name="contest_list"),
    path("contests/<int:pk>/start/", views.AttemptStartView.as_view(), name="attempt_start"),
    path("contests/<int:pk>/leaderboard/", views.LeaderboardView.as_view(), name="leaderboard"),
    path("contests/<int:pk>/report/", views.ParticipationReportView.as_view(), name="report"),
    path("attempts/<int:pk>/", views.AttemptView.as_view(), name="attempt"),
    path("citizens/", views.DigitalCitizenCountView.as_view(), name="citizens"),
    path("certificates/<int:pk>.pdf", views.CertificatePdfView.as_view(), name="certificate_pdf"),
    path("certificates/verify/<uuid:code>/", views.CertificateVerifyView.as_view(), name="certificate_verify"),
]
