from django.urls import path

from . import category_views, views

app_name = "feedback"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.report_add, name="report_add"),
    path("mine/", views.mine, name="mine"),
    path("inbox/", views.inbox, name="inbox"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("map/", views.map_page, name="map"),
    path("categories/", category_views.category_list, name="categories"),
    path("categories/new/", category_views.category_add, name="category_add"),
    path("categories/<int:pk>/", category_views.category_edit, name="category_edit"),
    path("categories/<int:pk>/active/", category_views.category_active, name="category_active"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/act/<str:code>/", views.place_action, name="place_action"),
    path("<int:pk>/<slug:action>/", views.report_action, name="report_action"),
    path("photos/<int:pk>/", views.photo, name="photo"),
]
