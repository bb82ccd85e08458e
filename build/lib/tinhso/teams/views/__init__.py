from .activities import (
    ActivityCreateView,
    ActivityDeleteView,
    ActivityDetailView,
    ActivityEditView,
    ActivityListView,
    ActivityStartView,
    EvidenceFileView,
)
from .catalogue import ActivityTypeFormView, ActivityTypeListView, MemberListView
from .dashboard import DashboardView
from .forms import MemberAddView, MemberEditView, MemberImportView, TeamCreateView, TeamEditView, member_import_template
from .rankings import EvaluateView, RankingsView
from .reports import ReportView
from .teams import TeamDetailView, TeamListView

__all__ = [
    "ActivityCreateView",
    "ActivityDeleteView",
    "ActivityDetailView",
    "ActivityEditView",
    "ActivityListView",
    "ActivityStartView",
    "ActivityTypeFormView",
    "ActivityTypeListView",
    "DashboardView",
    "EvaluateView",
    "EvidenceFileView",
    "MemberAddView",
    "MemberEditView",
    "MemberImportView",
    "MemberListView",
    "RankingsView",
    "ReportView",
    "TeamCreateView",
    "TeamDetailView",
    "TeamEditView",
    "TeamListView",
    "member_import_template",
]
