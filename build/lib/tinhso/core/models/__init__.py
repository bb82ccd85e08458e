from .base import ChangeLoggedModel, RestrictedQuerySet, ScopedModel
from .changelog import ObjectChange
from .jobs import Job

__all__ = ["ChangeLoggedModel", "Job", "ObjectChange", "RestrictedQuerySet", "ScopedModel"]
