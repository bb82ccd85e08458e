from .audio import BulletinAudioView, device_audio

__all__ = ["BulletinAudioView", "device_audio"]
