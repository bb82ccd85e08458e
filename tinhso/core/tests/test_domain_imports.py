"""The dependency rule of docs/architecture.md, kept by reading the code: domains do not import
domains, a module's services do not import its formats, and only services start background jobs."""

import re
from pathlib import Path

import pytest

TINHSO = Path(__file__).resolve().parents[2]
DOMAINS = ("plans", "teams", "radio", "feedback")


def production_files(app: str):
    for path in (TINHSO / app).rglob("*.py"):
        if "tests" not in path.parts and "migrations" not in path.parts:
            yield path


def imports_of(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    found = set(re.findall(r"^\s*(?:from|import)\s+tinhso\.([a-z_]+)", text, flags=re.MULTILINE))
    found |= set(re.findall(r"^\s*from\s+tinhso\s+import\s+([a-z_]+)", text, flags=re.MULTILINE))
    return found


@pytest.mark.parametrize("domain", DOMAINS)
def test_a_domain_imports_no_other_domain(domain):
    crossings = [
        f"{path.relative_to(TINHSO)} imports tinhso.{other}"
        for path in production_files(domain)
        for other in imports_of(path) & set(DOMAINS) - {domain}
    ]
    assert crossings == [], "use a registry in the lower app (docs/architecture.md): " + "; ".join(crossings)


def test_the_plans_services_never_import_the_dhis2_formats():
    services = list((TINHSO / "plans" / "services").glob("*.py"))
    assert services
    offenders = [
        path.name
        for path in services
        if re.search(
            r"^\s*from \.\.?\s*import .*exchange|exchange import", path.read_text(encoding="utf-8"), flags=re.MULTILINE
        )
    ]
    assert offenders == []


def test_only_services_start_background_jobs():
    starters = [
        str(path.relative_to(TINHSO))
        for app in (p.name for p in TINHSO.iterdir() if p.is_dir())
        for path in production_files(app)
        if "start_job(" in path.read_text(encoding="utf-8")
        and "services" not in path.parts
        and path.name not in ("services.py", "jobs.py")
    ]
    assert starters == [], "start jobs in a service that pages and API both call: " + ", ".join(starters)
