"""The play log, the monthly report and the bulletin boards; server-core's urls.py appends these."""

from django.urls import path

from . import views_boards as views

board_urlpatterns = [
    path("log/", views.PlayLogView.as_view(), name="log_list"),
    path("reports/", views.BroadcastReportView.as_view(), name="report"),
    path("boards/", views.BoardListView.as_view(), name="board_list"),
    path("boards/add/", views.BoardCreateView.as_view(), name="board_add"),
    path("boards/<int:pk>/", views.BoardDetailView.as_view(), name="board_detail"),
    path("boards/<str:slug>/screen/", views.BoardScreenView.as_view(), name="board_screen"),
    path("boards/<str:slug>/screen/live/", views.BoardScreenLiveView.as_view(), name="board_screen_live"),
]
