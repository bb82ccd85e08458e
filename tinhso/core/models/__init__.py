from .base import ChangeLoggedModel, RestrictedQuerySet, ScopedModel
from .changelog import ObjectChange
from .jobs import Job
from .notifications import Delivery, Message, NotificationPreference

__all__ = [
    "ChangeLoggedModel",
    "Delivery",
    "Job",
    "Message",
    "NotificationPreference",
    "ObjectChange",
    "RestrictedQuerySet",
    "ScopedModel",
]
