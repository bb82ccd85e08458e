from django.urls import path

from . import views

app_name = "learning"
urlpatterns = [
    path("", views.ContestListView.as_view(), name="contest_list"),
]
