"""The one write path of plans, one module per sub-domain: pages, API, admin, jobs and the seed call these.

definitions  data elements, data sets (members, validation rules), indicators — the province's
reporting    reports: open, type values, submit, approve, return; evidence
importing    DHIS2 data value imports: every row planned and checked, then written (or nothing)
planning     plans, targets, scoring the subjects of a plans criteria set
tasks        tasks and their progress, overdue flags and reminders

exchange.py (DHIS2 formats) calls these; nothing here imports exchange.
"""

from django.core.exceptions import ValidationError

from .definitions import remove_data_set_part, save_data_set_part, save_definition
from .importing import (
    ImportSummary,
    import_data_values,
    new_report,
    normalise_strategy,
    plan_import,
    start_data_value_import,
)
from .planning import delete_plan, delete_target, save_plan, save_target, score_subjects
from .reporting import (
    HISTORY_PERIODS,
    MAX_EVIDENCE_BYTES,
    SaveResult,
    add_evidence,
    approve_report,
    approver_unit,
    check_reporting_unit,
    delete_evidence,
    due_date_of,
    open_due_reports,
    open_report,
    report_violations,
    require_editable,
    return_report,
    rule_failures,
    save_report_values,
    submit_report,
)
from .tasks import (
    _require_reporter,
    create_task,
    describe_due,
    flag_overdue_tasks,
    missing_clarities,
    post_task_update,
    publish_task,
    send_due_reminders,
    update_task,
)

__all__ = [
    "HISTORY_PERIODS",
    "MAX_EVIDENCE_BYTES",
    "ImportSummary",
    "SaveResult",
    "ValidationError",
    "_require_reporter",
    "add_evidence",
    "approve_report",
    "approver_unit",
    "check_reporting_unit",
    "create_task",
    "delete_evidence",
    "delete_plan",
    "delete_target",
    "describe_due",
    "due_date_of",
    "flag_overdue_tasks",
    "import_data_values",
    "missing_clarities",
    "new_report",
    "normalise_strategy",
    "open_due_reports",
    "open_report",
    "plan_import",
    "report_violations",
    "post_task_update",
    "publish_task",
    "remove_data_set_part",
    "require_editable",
    "return_report",
    "rule_failures",
    "save_data_set_part",
    "save_definition",
    "save_plan",
    "save_report_values",
    "save_target",
    "score_subjects",
    "send_due_reminders",
    "start_data_value_import",
    "submit_report",
    "update_task",
]
