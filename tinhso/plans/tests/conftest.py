import pytest

from tinhso.units.snapshot import forget_snapshots


@pytest.fixture(autouse=True)
def _fresh_structures():
    forget_snapshots()
    yield
    forget_snapshots()
