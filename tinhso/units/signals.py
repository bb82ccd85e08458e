"""Signals of the unit tree, for apps above units (units knows no people).

`units_succeeded` is sent (sender=Unit, predecessors=[...]) after successions were recorded, or after a unit's
end was set or changed (close_unit, the edit page, the API), also by the bulk paths that send no post_save
(carry_children_over).
accounts listens to carry people's roles over to the successors (tinhso.accounts.continuity).
"""

from django.dispatch import Signal

units_succeeded = Signal()
