"""Roles and what each may do.

A role is held on an administrative unit (see RoleAssignment). Grants are permission names
in Django's form "app_label.action_model"; a trailing "*" matches a whole app or everything.
Each module adds the grants of its own permissions in its AppConfig.ready() with `grant()`.
"""

from fnmatch import fnmatchcase

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROVINCE_ADMIN = "province_admin", _("Province administrator")
    DX_CENTRE_STAFF = "dx_centre_staff", _("Digital transformation centre staff")
    DEPARTMENT_STAFF = "department_staff", _("Department staff")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    VILLAGE_TEAM_LEADER = "village_team_leader", _("Village DX team leader")
    PARTY_CELL_SECRETARY = "party_cell_secretary", _("Party cell secretary")
    CITIZEN = "citizen", _("Citizen")


_LOCAL_ADMINISTRATION = (
    "units.view_unit",
    "units.add_unit",
    "units.change_unit",
    "units.view_organisation",
    "units.add_organisation",
    "units.change_organisation",
    "accounts.view_user",
    "accounts.add_user",
    "accounts.change_user",
    "accounts.view_roleassignment",
    "accounts.add_roleassignment",
    "accounts.delete_roleassignment",
    "core.view_objectchange",
    "core.view_job",
    "core.view_delivery",
)

ROLE_GRANTS: dict[str, set[str]] = {
    Role.PROVINCE_ADMIN: {"*"},
    Role.DX_CENTRE_STAFF: {
        "units.view_unit",
        "units.view_organisation",
        "units.add_organisation",
        "units.change_organisation",
        "accounts.view_user",
        "accounts.view_roleassignment",
        "core.view_objectchange",
        "core.view_job",
        "core.view_delivery",
    },
    Role.DEPARTMENT_STAFF: {"units.view_unit", "units.view_organisation", "core.view_job"},
    Role.DISTRICT_OFFICER: set(_LOCAL_ADMINISTRATION),
    Role.COMMUNE_OFFICER: set(_LOCAL_ADMINISTRATION),
    Role.VILLAGE_TEAM_LEADER: {"units.view_unit", "units.view_organisation", "core.view_job"},
    Role.PARTY_CELL_SECRETARY: {"units.view_unit", "units.view_organisation", "core.view_job"},
    Role.CITIZEN: {"units.view_unit"},
}


def grant(role: str, *permissions: str) -> None:
    """Give `role` more permissions (called by modules when they load)."""
    ROLE_GRANTS[role].update(permissions)


def role_grants(role: str, permission: str) -> bool:
    return any(fnmatchcase(permission, pattern) for pattern in ROLE_GRANTS.get(role, ()))


def all_permission_names() -> list[str]:
    names = []
    for model in apps.get_models():
        opts = model._meta
        actions = [f"{action}_{opts.model_name}" for action in opts.default_permissions]
        actions += [codename for codename, _label in opts.permissions]
        names += [f"{opts.app_label}.{codename}" for codename in actions]
    return names


def permissions_of_role(role: str) -> set[str]:
    return {name for name in all_permission_names() if role_grants(role, name)}
