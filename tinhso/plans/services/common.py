"""Small helpers shared by the plans services."""


def user_or_none(actor):
    """The person to record as author; None when the platform itself acts (seed, schedule)."""
    return actor if getattr(actor, "pk", None) else None
