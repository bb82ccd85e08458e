from .metadata import DataElement, DataSet, DataSetElement, Indicator, ValidationRule
from .planning import Plan, Target, Task, TaskEvent, TaskUpdate
from .reporting import DataValue, Evidence, Report, RollupValue

__all__ = [
    "DataElement",
    "DataSet",
    "DataSetElement",
    "DataValue",
    "Evidence",
    "Indicator",
    "Plan",
    "Report",
    "RollupValue",
    "Target",
    "Task",
    "TaskEvent",
    "TaskUpdate",
    "ValidationRule",
]
