"""The modules of work import one way: services → evaluation → people → models (no loop, not even
inside a function), and the effective-dated values share one shape."""

import ast
import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tinhso.work.models import ConversionFactor, PositionNorm

HERE = Path(__file__).resolve().parent.parent


def local_imports(module: str) -> set[str]:
    tree = ast.parse((HERE / f"{module}.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tinhso.work."):
            found.add(node.module.split(".")[2])
    return found


@pytest.mark.parametrize("module", ["evaluation", "people", "rules", "models", "appeals", "dashboard", "unit_results"])
def test_nothing_below_services_imports_services(module):
    if not (HERE / f"{module}.py").exists():
        pytest.skip("module not present")
    assert "services" not in local_imports(module)


def test_people_and_evaluation_do_not_import_upwards():
    assert "evaluation" not in local_imports("people")
    assert "services" not in local_imports("evaluation")


@pytest.mark.django_db
def test_factors_and_norms_read_their_versions_the_same_way(world):
    from tinhso.work.models import JobPosition

    position = JobPosition.objects.create(organisation=world.committee, name="Văn phòng")
    PositionNorm.objects.create(
        job_position=position, effective_from=datetime.date(2026, 1, 1), monthly_standard_products=Decimal(30)
    )
    PositionNorm.objects.create(
        job_position=position, effective_from=datetime.date(2026, 7, 1), monthly_standard_products=Decimal(35)
    )
    assert sorted(PositionNorm.versions([position.pk])[position.pk]) == [
        (datetime.date(2026, 1, 1), Decimal(30)),
        (datetime.date(2026, 7, 1), Decimal(35)),
    ]
    assert ConversionFactor.versions([world.report.pk])[world.report.pk] == [
        (datetime.date(2026, 1, 1), Decimal("1.500"))
    ]
