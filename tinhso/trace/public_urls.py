"""Addresses fixed by the GS1 Digital Link and resolver standards, mounted at the site's root."""

from django.urls import path, re_path

from . import public

urlpatterns = [
    path(".well-known/gs1resolver", public.well_known, name="gs1resolver"),
    path("t/<slug:short>", public.short_link, name="short_link"),
    path("trace/public/photos/<int:pk>/", public.photo, name="photo"),
    # Any path that starts with an application identifier (2–4 digits): the resolver decides 400/404/200.
    re_path(r"^(?P<path>[0-9]{2,4}/.*)$", public.digital_link, name="digital_link"),
]
