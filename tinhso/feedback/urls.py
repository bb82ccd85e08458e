from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("photos/<int:pk>/", views.photo, name="photo"),
]
