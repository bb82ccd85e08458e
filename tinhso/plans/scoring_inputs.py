"""What plans offers scoring: inputs of criteria fed by a plan indicator, registered at start-up (apps.py).

Any module's criteria set may have such criteria (teams scores its villages and communes on them);
those modules ask `tinhso.scoring.inputs`, never plans itself.
"""

from . import periods


def indicator_inputs(criteria, subjects, period_code: str) -> dict:
    from .ranking import indicator_inputs as compute  # ranking loads the unit tree: imported on first use

    return compute(criteria, subjects, periods.parse(period_code))
