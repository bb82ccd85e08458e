"""Helpers for tests of every module: clients, the cast of a permission matrix (one person per role on the test
tree), and the matrices themselves: ApiMatrix and PageMatrix (one resource's list/detail/create/update/delete),
RoleMatrix (named actions, one test per role × action) and statuses (the status each role gets from a URL).

Builders of units and users live with their apps: tinhso.units.testing (build_unit_tree, make_unit)
and tinhso.accounts.testing (make_user), so that core imports no other app of tinhso.
"""

import re
from urllib.parse import unquote

from django.contrib.contenttypes.models import ContentType
from django.test import Client
from rest_framework.test import APIClient

from tinhso.core.models import ObjectChange


def web_client(user=None) -> Client:
    """A browser logged in as `user`, past the second step too (as if they had typed their TOTP code): the
    session carries tinhso.accounts.two_factor.SESSION_KEY = PASSED. Tests of the second step itself log in
    with Client().force_login or the login page."""
    client = Client()
    if user is not None:
        client.force_login(user)
        session = client.session
        session["two_factor"] = "passed"
        session.save()
    return client


def api_client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def saved_file_name(response) -> str:
    """The name a browser saves a download under: `filename*` when the header has one (RFC 6266 says it wins;
    Python's own email parsers take the first parameter instead), else the plain `filename`."""
    encoded = re.search(r"filename\*=utf-8''([^;\s]+)", response["Content-Disposition"], re.IGNORECASE)
    if encoded:
        return unquote(encoded.group(1))
    return re.sub(r"\\(.)", r"\1", fallback_file_name(response))


def fallback_file_name(response) -> str:
    """The plain `filename` of a download, for a client that cannot read `filename*`."""
    plain = re.search(r'filename="((?:[^"\\]|\\.)*)"', response["Content-Disposition"])
    return plain.group(1) if plain else ""


# --- The cast: who plays each role in a permission matrix --------------------------------------------
#
# Every module's matrix uses the same people: one per role, on the unit of the test tree
# (tinhso.units.testing.build_unit_tree) where that role is held. An app that needs someone elsewhere moves
# them by name: cast_on(tree, party_cell_secretary="khe_dua"). The users themselves are made by
# tinhso.accounts.testing (users_by_role(cast_on(tree)), role_holder(role, unit)): core imports no app.

CAST = {
    "province_admin": "yen_bai",
    "dx_centre_staff": "yen_bai",
    "department_staff": "yen_bai",
    "district_officer": "van_yen",
    "commune_officer": "xuan_ai",
    "village_team_leader": "khe_dua",
    "party_cell_secretary": "na_hau",
    "citizen": "xuan_ai",
}
ROLES = tuple(CAST)


def cast_on(tree, **moved: str) -> dict:
    """{role: unit of `tree`} for every role of the cast; `moved` names another unit of the tree for a role."""
    return {role: getattr(tree, place) for role, place in (CAST | moved).items()}


# --- The permission matrix -------------------------------------------------------------------------
#
# NetBox generates, for each model, view and API test cases (list, get, create, update, delete) and runs
# them with and without the permission. Here one call runs every role of a list against every action of one
# API resource, and checks that a refused write changed nothing (rows, their values, and the change log):
#
#     matrix = ApiMatrix(
#         "/api/v1/units/", Unit, make=lambda: make_unit(tree.xuan_ai, ...), create={...}, update={"short_name": "X"}
#     )
#     matrix.check(users, {"province_admin": ALL, "commune_officer": {"list", "detail", "update"}, "citizen": set()})
#
# A role missing from `expected` may do nothing. The assertion lists every cell that differs at once.

ALL = frozenset({"list", "detail", "create", "update", "delete"})
READ = frozenset({"list", "detail"})
REFUSED = {401, 403, 404, 405}


def database_state(model) -> tuple:
    """Everything a refused write must leave alone: the model's rows with their values, and the change log."""
    rows = [tuple(sorted(row.items())) for row in model._base_manager.order_by("pk").values()]
    content_type = ContentType.objects.get_for_model(model)
    return rows, ObjectChange.objects.filter(object_type=content_type).count()


class ApiMatrix:
    """Every role × list/detail/create/update/delete on one API resource of `model` at `url` (ending in /)."""

    def __init__(
        self, url: str, model, *, make, create=None, update=None, lookup=lambda obj: obj.pk, key="id", headers=dict
    ):
        self.url, self.model, self.make, self.lookup, self.key = url, model, make, lookup, key  # key: lookup's field
        self.create, self.update = create, update  # data (or a callable making it); None: not offered
        self.headers = headers  # a callable: extra headers of each write (e.g. a fresh Idempotency-Key)

    def _detail(self, obj) -> str:
        return f"{self.url}{self.lookup(obj)}/"

    def _listed(self, response, obj) -> bool:
        data = response.json()
        rows = data.get("results", data) if isinstance(data, dict) else data
        return any(str(row.get(self.key)) == str(self.lookup(obj)) for row in rows)

    def outcome(self, user, action: str) -> tuple[bool, str]:
        """(whether the action went through, what happened) — a refusal that changed something counts as done."""
        client = api_client(user)
        if action == "create":
            data = self.create() if callable(self.create) else self.create
            before = database_state(self.model)
            response = client.post(self.url, data, format="json", headers=self.headers())
            if response.status_code == 201:
                return True, "201"
            changed = database_state(self.model) != before
            return changed, f"{response.status_code}{' but changed the data' if changed else ''}"
        obj = self.make()
        if action == "list":
            response = client.get(self.url, {"page_size": 1000})
            return response.status_code == 200 and self._listed(response, obj), str(response.status_code)
        if action == "detail":
            response = client.get(self._detail(obj))
            return response.status_code == 200, str(response.status_code)
        before = database_state(self.model)
        if action == "update":
            data = self.update() if callable(self.update) else self.update
            response = client.patch(self._detail(obj), data, format="json", headers=self.headers())
            done = response.status_code == 200
        else:
            response = client.delete(self._detail(obj), headers=self.headers())
            done = response.status_code == 204 and not self.model._base_manager.filter(pk=obj.pk).exists()
        if done:
            return True, str(response.status_code)
        changed = database_state(self.model) != before
        if response.status_code not in REFUSED and not changed:
            return False, f"{response.status_code} (a refusal answers 401, 403, 404 or 405)"
        return changed, f"{response.status_code}{' but changed the data' if changed else ''}"

    def check(self, users: dict, expected: dict, actions=ALL) -> None:
        wrong = []
        for role, user in users.items():
            allowed = expected.get(role, set())
            for action in sorted(actions):
                if action == "create" and self.create is None or action == "update" and self.update is None:
                    continue
                done, what = self.outcome(user, action)
                if done != (action in allowed):
                    wrong.append(
                        f"{role} {action}: {'allowed' if action in allowed else 'refused'} expected, got {what}"
                    )
        assert not wrong, "Permission matrix differs:\n  " + "\n  ".join(wrong)


class PageMatrix:
    """Every role × reading a list page and a detail page (a page out of reach answers 403/404 or hides the row)."""

    def __init__(self, list_url: str, detail_url, *, make, shows=str):
        self.list_url, self.detail_url, self.make, self.shows = list_url, detail_url, make, shows

    def check(self, users: dict, expected: dict) -> None:
        wrong = []
        for role, user in users.items():
            client, obj = web_client(user), self.make()
            listing = client.get(self.list_url)
            listed = listing.status_code == 200 and self.shows(obj) in listing.content.decode()
            detail = client.get(self.detail_url(obj)).status_code
            for action, done, what in (("list", listed, listing.status_code), ("detail", detail == 200, detail)):
                if done != (action in expected.get(role, set())):
                    wrong.append(
                        f"{role} {action}: {'allowed' if action in expected.get(role, ()) else 'refused'} "
                        f"expected, got {what}"
                    )
        assert not wrong, "Page matrix differs:\n  " + "\n  ".join(wrong)


class RoleMatrix:
    """Every role × named actions that are not one resource's CRUD (a form, a custom endpoint, an import),
    one test per cell. `allowed` maps each action to the roles that may do it; the test does the action and
    hands the outcome to check(), which also asserts that a refused action changed nothing:

        MATRIX = RoleMatrix({"rename_village": {"province_admin", "commune_officer"}, ...})

        @MATRIX.cells
        def test_permission_matrix(world, role, action):
            done, unchanged = perform(action, role_holder(role, getattr(world, CAST[role])), world)
            MATRIX.check(role, action, done, unchanged)
    """

    def __init__(self, allowed: dict, roles=ROLES):
        self.allowed = {action: frozenset(permitted) for action, permitted in allowed.items()}
        self.roles = tuple(roles)

    @property
    def cells(self):
        """pytest.mark.parametrize over (action, role), with ids "action-role"."""
        import pytest

        cells = [(action, role) for action in self.allowed for role in self.roles]
        return pytest.mark.parametrize(("action", "role"), cells, ids=[f"{action}-{role}" for action, role in cells])

    def check(self, role: str, action: str, done: bool, unchanged: bool = True) -> None:
        if role in self.allowed[action]:
            assert done, f"{role} should be able to {action}"
        else:
            assert not done, f"{role} must not be able to {action}"
            assert unchanged, f"a refused {action} by {role} changed data"


def statuses(users: dict, url: str, data=None, *, client=web_client) -> dict:
    """{role: the status code `url` answers to that role's GET}: compare it with expected_statuses()."""
    return {role: client(user).get(url, data).status_code for role, user in users.items()}


def expected_statuses(users, allowed, *, ok=200, refused=403, **exceptions) -> dict:
    """{role: status} for every role of `users`: `ok` to the allowed ones, `refused` to the others, and
    `exceptions` ({role: status}) where a role gets something else (404 for an object out of its scope)."""
    return {role: exceptions.get(role, ok if role in allowed else refused) for role in users}


def assert_statuses(got: dict, expected: dict) -> None:
    """Every role at once; an expected value may be a set of acceptable codes ({403, 404})."""
    wrong = [
        f"{role}: {expected[role]} expected, got {code}"
        for role, code in got.items()
        if code not in (expected[role] if isinstance(expected[role], (set, frozenset)) else {expected[role]})
    ]
    assert not wrong, "Statuses differ:\n  " + "\n  ".join(wrong)
