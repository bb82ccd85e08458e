from .audio import BulletinAudioView, device_audio
from .bulletins import (
    BulletinBroadcastView,
    BulletinCancelView,
    BulletinCapView,
    BulletinComposeView,
    BulletinDetailView,
    BulletinListView,
    CapImportPageView,
    NormalizePreviewView,
    SpeechPreviewView,
)
from .clusters import ClusterCreateView, ClusterDetailView, ClusterEditView, ClusterListView, ClusterResetView
from .settings import BulletinPositionView, CommunePolicyView, PronunciationDeleteView, PronunciationListView

__all__ = [
    "BulletinAudioView",
    "BulletinBroadcastView",
    "BulletinCancelView",
    "BulletinCapView",
    "BulletinComposeView",
    "BulletinDetailView",
    "BulletinListView",
    "BulletinPositionView",
    "CapImportPageView",
    "ClusterCreateView",
    "ClusterDetailView",
    "ClusterEditView",
    "ClusterListView",
    "ClusterResetView",
    "CommunePolicyView",
    "NormalizePreviewView",
    "PronunciationDeleteView",
    "PronunciationListView",
    "SpeechPreviewView",
    "device_audio",
]
