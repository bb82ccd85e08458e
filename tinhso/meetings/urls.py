from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="list"),
    path("new/", views.create_view, name="add"),
    path("rollout/", views.rollout_view, name="rollout"),
    path("notify-bodies/", views.notify_bodies_view, name="notify_bodies"),
    path("rollout/import/", views.rollout_import, name="rollout_import"),
    path("bodies/<int:pk>/members/", views.members_view, name="members"),
    path("bodies/<int:pk>/members/<int:member_pk>/end/", views.end_member_view, name="end_member"),
    path("documents/<int:pk>/", views.document_view, name="document"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="detail"),
    path("<int:pk>/attendance/", views.attendance_fragment, name="attendance"),
    path("<int:pk>/checkin/", views.checkin_view, name="checkin"),
    path("<int:pk>/invite.ics", views.invite_ics, name="invite_ics"),
    path("<int:pk>/scan/<str:kind>/", views.record_scan, name="scan"),
    path("<int:pk>/<slug:kind>.pdf", views.meeting_pdf, name="pdf"),
    path("<int:pk>/<str:action>/", views.meeting_action, name="action"),
]
