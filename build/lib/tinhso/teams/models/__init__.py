from .activity import Activity, ActivityType, Evidence
from .member import Member, Person
from .team import Team

__all__ = ["Activity", "ActivityType", "Evidence", "Member", "Person", "Team"]
