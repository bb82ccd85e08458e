"""Fixtures shared by the learning tests."""

import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.learning.models import Attempt

from .factories import make_contest, stock_bank


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own (modules that upload ask for it with usefixtures)."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def officer(tree):
    """Xuân Ái's commune officer, who keeps the commune's bank, contests and courses."""
    return make_user("commune_officer", tree.new_xuan_ai)


@pytest.fixture
def contest_with_people(tree):
    """A province contest finished by two citizens of Xuân Ái (3 attempts) and one of Khánh Hòa (1 attempt)."""
    stock_bank(tree.lao_cai, count=3)
    contest = make_contest(tree.lao_cai)
    for unit, times in ((tree.new_khe_dua, 2), (tree.new_khe_dua, 1), (tree.new_khanh_hoa, 1)):
        client = web_client(make_user("citizen", unit))
        for _time in range(times):
            client.post(f"/learning/contests/{contest.pk}/start/")
            client.post(f"/learning/attempts/{Attempt.objects.filter(status='open').get().pk}/", {"finish": ""})
    return contest
