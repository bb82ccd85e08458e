import pytest

from tinhso.plans.structure import forget_structures


@pytest.fixture(autouse=True)
def _fresh_structures():
    forget_structures()
    yield
    forget_structures()
