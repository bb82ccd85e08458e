from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from tinhso.core.modules import module_page_urls, module_root_urls

admin.site.site_header = "Tỉnh Số"
admin.site.site_title = "Tỉnh Số"

urlpatterns = [
    path("", include("tinhso.core.urls")),
    path("accounts/", include("tinhso.accounts.urls")),
    path("units/", include("tinhso.units.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("tinhso.core.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
urlpatterns += [path(f"{label}/", include(module)) for label, module in module_page_urls()]
urlpatterns += [path("", include((module, f"{label}_public"))) for label, module in module_root_urls()]
