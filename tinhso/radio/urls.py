from django.urls import path

from . import views
from .board_urls import board_urlpatterns

app_name = "radio"
urlpatterns = [
    path("device/audio/<str:sha256>.ogg", views.device_audio, name="device_audio"),
    path("bulletins/<int:pk>/audio.ogg", views.BulletinAudioView.as_view(), name="bulletin_audio"),
    path(
        "bulletins/<int:pk>/fallback.ogg",
        views.BulletinAudioView.as_view(),
        {"which": "fallback"},
        name="bulletin_fallback",
    ),
]

urlpatterns += board_urlpatterns
