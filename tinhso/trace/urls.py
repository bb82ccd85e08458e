from django.urls import path

from tinhso.core.views import offline_worker

from . import views

app_name = "trace"
urlpatterns = [
    path("", views.TreeListView.as_view(), name="tree_list"),
    path("trees/add/", views.TreeCreateView.as_view(), name="tree_add"),
    path("trees/import/", views.TreeImportView.as_view(), name="tree_import"),
    path("trees/<int:pk>/", views.TreeDetailView.as_view(), name="tree_detail"),
    path("trees/<int:pk>/edit/", views.TreeEditView.as_view(), name="tree_edit"),
    path("trees/<int:pk>/photos/add/", views.TreePhotoCreateView.as_view(), name="photo_add"),
    path("trees/<int:pk>/photos/<int:photo_pk>/remove/", views.remove_photo, name="photo_remove"),
    path("gardens/", views.GardenListView.as_view(), name="garden_list"),
    path("gardens/add/", views.GardenCreateView.as_view(), name="garden_add"),
    path("producers/add/", views.ProducerCreateView.as_view(), name="producer_add"),
    path("events/add/", views.EventCreateView.as_view(), name="event_add"),
    path("events/sw.js", offline_worker("trace:event_add"), name="field_service_worker"),
    path("batches/", views.BatchListView.as_view(), name="batch_list"),
    path("batches/add/", views.BatchCreateView.as_view(), name="batch_add"),
    path("batches/<int:pk>/", views.BatchDetailView.as_view(), name="batch_detail"),
    path("batches/<int:pk>/edit/", views.BatchEditView.as_view(), name="batch_edit"),
    path("batches/<int:pk>/recall/", views.BatchRecallView.as_view(), name="batch_recall"),
    path("products/", views.ProductListView.as_view(), name="product_list"),
    path("products/add/", views.ProductCreateView.as_view(), name="product_add"),
    path("products/<int:pk>/", views.ProductDetailView.as_view(), name="product_detail"),
    path("products/<int:pk>/edit/", views.ProductEditView.as_view(), name="product_edit"),
    path("products/<int:pk>/certifications/add/", views.CertificationCreateView.as_view(), name="certification_add"),
    path("devices/", views.DeviceListView.as_view(), name="device_list"),
    path("devices/add/", views.DeviceCreateView.as_view(), name="device_add"),
    path("devices/<int:pk>/<str:action>/", views.device_action, name="device_action"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("map/", views.garden_map, name="garden_map"),
    path("outline/import/", views.OutlineImportView.as_view(), name="outline_import"),
    path("labels.pdf", views.labels_pdf, name="labels_pdf"),
]
