"""Addresses at the site's root: the public list of reports (/phan-anh/) and Open311 GeoReport v2."""

from django.urls import path, re_path

from . import open311, public

FORMAT = r"(?:\.(?P<fmt>[a-z0-9]+))?$"

urlpatterns = [
    path("phan-anh/", public.report_list, name="report_list"),
    path("phan-anh/<int:pk>/", public.report_page, name="report"),
    path("phan-anh/ban-do/", public.map_page, name="map"),
    path("phan-anh/anh/<int:pk>/", public.photo, name="photo"),
    re_path(r"^open311/v2/discovery" + FORMAT, open311.discovery, name="open311_discovery"),
    re_path(r"^open311/v2/services" + FORMAT, open311.service_list, name="open311_services"),
    re_path(r"^open311/v2/services/(?P<code>[\w-]{1,80})" + FORMAT, open311.service_definition, name="open311_service"),
    re_path(r"^open311/v2/requests" + FORMAT, open311.requests, name="open311_requests"),
    re_path(r"^open311/v2/requests/(?P<pk>[0-9]{1,12})" + FORMAT, open311.request_detail, name="open311_request"),
    re_path(r"^open311/v2/tokens/(?P<token>[\w-]{1,80})" + FORMAT, open311.token, name="open311_token"),
    re_path(r"^open311/(?P<rest>.*)$", open311.not_found, name="open311_unknown"),
]
