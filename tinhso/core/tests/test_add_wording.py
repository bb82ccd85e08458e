"""Buttons say “Thêm mới”, not Django admin's own Vietnamese “Thêm vào” (“add into”): the platform's
catalogue overrides admin's for every “Add …” string a person sees (admin pages included)."""

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext


@pytest.mark.parametrize("msgid", ["Add", "Add %(name)s", "Add another %(verbose_name)s"])
def test_no_add_button_reads_them_vao(msgid):
    with translation.override("vi"):
        assert "Thêm vào" not in gettext(msgid)
        assert gettext(msgid).startswith("Thêm")


def test_no_catalogue_of_the_platform_translates_add_as_them_vao():
    import pathlib

    wrong = []
    for path in pathlib.Path(settings.BASE_DIR, "tinhso").glob("**/locale/vi/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(path)):
            # "Thêm vào lịch của tôi" (add to my calendar) says where; a bare "Thêm vào [thing]" button does not.
            if entry.msgstr == "Thêm vào" or entry.msgstr.startswith("Thêm vào %("):
                wrong.append(f"{path}: {entry.msgid}")
    assert wrong == []
