from django.urls import path

from . import views

app_name = "units"
urlpatterns = [
    path("", views.UnitListView.as_view(), name="unit_list"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("<int:pk>/edit/", views.UnitEditView.as_view(), name="unit_edit"),
    path("<int:pk>/villages/add/", views.VillageCreateView.as_view(), name="village_add"),
    path("<int:pk>/organisations/add/", views.OrganisationCreateView.as_view(), name="organisation_add"),
    path("import/", views.VillageImportView.as_view(), name="village_import"),
    path("jump/", views.jump, name="unit_jump"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation_list"),
    path("organisations/<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.OrganisationEditView.as_view(), name="organisation_edit"),
]
