from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.report_add, name="report_add"),
    path("mine/", views.mine, name="mine"),
    path("inbox/", views.inbox, name="inbox"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("map/", views.map_page, name="map"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/act/<str:code>/", views.place_action, name="place_action"),
    path("<int:pk>/<slug:action>/", views.report_action, name="report_action"),
    path("photos/<int:pk>/", views.photo, name="photo"),
]
