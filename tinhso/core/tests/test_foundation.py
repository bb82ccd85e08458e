"""The rules of the house that the source itself must keep (docs/architecture.md, "who may import whom").

Read from the sources (ast and text), so a new file that breaks a rule fails here, whoever wrote it.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TINHSO = ROOT / "tinhso"
FOUNDATION = ("core", "units", "accounts")
# Which apps of tinhso the production code of each foundation app may import (itself always).
MAY_IMPORT = {"core": set(), "units": {"core"}, "accounts": {"core", "units"}}

RAW_SCOPE_HELPERS = re.compile(
    r"\b(user_scope|restrict_queryset|has_permission_on|has_permission_somewhere|role_grants|_compute_scope)\b"
    r"|tinhso\.accounts\.scope\b|from tinhso\.accounts import scope\b"
)
NOT_YET_MIGRATED: set[str] = set()


def production_sources(app: str):
    for path in sorted((TINHSO / app).rglob("*.py")):
        parts = path.relative_to(TINHSO).parts
        if "tests" not in parts:
            yield path


def imported_apps(path: Path, root: Path = ROOT) -> set[str]:
    """Every app of tinhso a module imports, at the top or inside a function, absolute or relative."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = path.relative_to(root).with_suffix("").parts[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
                names = [module] if node.module else [f"{module}.{alias.name}" for alias in node.names]
            else:
                names = [node.module or ""]
                if node.module == "tinhso":
                    names = [f"tinhso.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if len(parts) >= 2 and parts[0] == "tinhso":
                found.add(parts[1])
    return found


def import_graph() -> dict[str, set[str]]:
    graph = {}
    for app in FOUNDATION:
        uses = set()
        for path in production_sources(app):
            uses |= imported_apps(path)
        graph[app] = uses - {app}
    return graph


@pytest.mark.parametrize("app", FOUNDATION)
def test_each_foundation_app_imports_only_the_floors_below(app):
    wrong = {}
    for path in production_sources(app):
        extra = imported_apps(path) - MAY_IMPORT[app] - {app}
        if extra:
            wrong[str(path.relative_to(ROOT))] = sorted(extra)
    assert wrong == {}, f"{app} may import only {sorted(MAY_IMPORT[app]) or 'no other app'}: {wrong}"


def test_there_is_no_import_loop_between_the_foundation_apps():
    graph = import_graph()

    def reaches(start, goal, seen=()):
        return any(
            nxt == goal or (nxt not in seen and reaches(nxt, goal, (*seen, nxt))) for nxt in graph.get(start, ())
        )

    assert [app for app in FOUNDATION if reaches(app, app)] == []


def test_the_checker_sees_imports_inside_functions_and_relative_ones(tmp_path):
    (tmp_path / "tinhso" / "core").mkdir(parents=True)
    sample = tmp_path / "tinhso" / "core" / "sample.py"
    sample.write_text(
        "def late():\n    from tinhso.accounts.scope import user_scope\n    from ..units import models\n"
        "    import tinhso.plans.services\n    from tinhso import radio\n",
        encoding="utf-8",
    )
    assert imported_apps(sample, tmp_path) == {"accounts", "units", "plans", "radio"}


def test_no_module_outside_accounts_calls_the_raw_scope_helpers():
    """Scope is asked one way: Model.objects.restrict(user, permission, path=...), or tinhso.accounts.access."""
    offenders = []
    for path in sorted(TINHSO.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith("tinhso/accounts/") or "/tests/" in relative:
            continue
        if relative in NOT_YET_MIGRATED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if RAW_SCOPE_HELPERS.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == [], "Use restrict(user, permission, path=...) or accounts.access:\n" + "\n".join(offenders)


def test_the_allow_list_only_names_files_that_still_need_it():
    """When a listed file no longer calls the raw helpers (or is gone), take it off NOT_YET_MIGRATED."""
    stale = [
        name
        for name in NOT_YET_MIGRATED
        if not (ROOT / name).exists() or not RAW_SCOPE_HELPERS.search((ROOT / name).read_text(encoding="utf-8"))
    ]
    assert stale == [] or set(stale) <= {"tinhso/plans/services.py"}, stale
