from django.urls import path

from . import views
from .board_urls import board_urlpatterns
from .home import CitizenBulletinAudioView

app_name = "radio"
urlpatterns = [
    path("", views.BulletinListView.as_view(), name="bulletin_list"),
    path("home/bulletins/<int:pk>/audio.ogg", CitizenBulletinAudioView.as_view(), name="home_bulletin_audio"),
    path("bulletins/new/", views.BulletinComposeView.as_view(), name="bulletin_add"),
    path("bulletins/cap/", views.CapImportPageView.as_view(), name="cap_import"),
    path("bulletins/<int:pk>/", views.BulletinDetailView.as_view(), name="bulletin_detail"),
    path("bulletins/<int:pk>/broadcast/", views.BulletinBroadcastView.as_view(), name="bulletin_broadcast"),
    path("bulletins/<int:pk>/cancel/", views.BulletinCancelView.as_view(), name="bulletin_cancel"),
    path("bulletins/<int:pk>/cap.xml", views.BulletinCapView.as_view(), name="bulletin_cap"),
    path("bulletins/<int:pk>/position/", views.BulletinPositionView.as_view(), name="bulletin_position"),
    path("bulletins/<int:pk>/audio.ogg", views.BulletinAudioView.as_view(), name="bulletin_audio"),
    path(
        "bulletins/<int:pk>/fallback.ogg",
        views.BulletinAudioView.as_view(),
        {"which": "fallback"},
        name="bulletin_fallback",
    ),
    path("compose/reading/", views.NormalizePreviewView.as_view(), name="reading_preview"),
    path("compose/speech.ogg", views.SpeechPreviewView.as_view(), name="speech_preview"),
    path("clusters/", views.ClusterListView.as_view(), name="cluster_list"),
    path("clusters/add/", views.ClusterCreateView.as_view(), name="cluster_add"),
    path("clusters/<int:pk>/", views.ClusterDetailView.as_view(), name="cluster_detail"),
    path("clusters/<int:pk>/edit/", views.ClusterEditView.as_view(), name="cluster_edit"),
    path("clusters/<int:pk>/reset-password/", views.ClusterResetView.as_view(), name="cluster_reset"),
    path("dictionary/", views.PronunciationListView.as_view(), name="pronunciation_list"),
    path("dictionary/<int:pk>/delete/", views.PronunciationDeleteView.as_view(), name="pronunciation_delete"),
    path("order/", views.CommunePolicyView.as_view(), name="commune_policy"),
    path("device/audio/<str:sha256>.ogg", views.device_audio, name="device_audio"),
]

urlpatterns += board_urlpatterns
