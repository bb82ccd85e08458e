"""Addresses at the site's root: the public list of reports (/phan-anh/) and Open311 GeoReport v2."""

from django.urls import path

from . import public

urlpatterns = [
    path("phan-anh/", public.report_list, name="report_list"),
    path("phan-anh/<int:pk>/", public.report_page, name="report"),
]
