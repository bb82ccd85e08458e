from django.urls import path

from . import views

app_name = "trace"
urlpatterns = [
    path("", views.TreeListView.as_view(), name="tree_list"),
    path("trees/add/", views.TreeCreateView.as_view(), name="tree_add"),
    path("trees/import/", views.TreeImportView.as_view(), name="tree_import"),
    path("trees/<int:pk>/", views.TreeDetailView.as_view(), name="tree_detail"),
    path("trees/<int:pk>/edit/", views.TreeEditView.as_view(), name="tree_edit"),
    path("gardens/", views.GardenListView.as_view(), name="garden_list"),
    path("gardens/add/", views.GardenCreateView.as_view(), name="garden_add"),
    path("producers/add/", views.ProducerCreateView.as_view(), name="producer_add"),
    path("events/add/", views.EventCreateView.as_view(), name="event_add"),
    path("batches/", views.BatchListView.as_view(), name="batch_list"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("labels.pdf", views.labels_pdf, name="labels_pdf"),
]
