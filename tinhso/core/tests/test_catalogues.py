"""Every label goes through gettext, and both catalogues are complete and compiled."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[3]
APPS = [path.parent for path in sorted(ROOT.glob("tinhso/*/apps.py"))]


def _catalogue(app: Path, language: str) -> polib.POFile:
    return polib.pofile(str(app / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("app", APPS, ids=lambda path: path.name)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_catalogue_is_complete_and_compiled(app, language):
    catalogue = _catalogue(app, language)
    untranslated = [entry.msgid for entry in catalogue if not entry.translated()]
    assert untranslated == []
    compiled = polib.mofile(str(app / "locale" / language / "LC_MESSAGES" / "django.mo"))
    assert {entry.msgid: entry.msgstr for entry in compiled if not entry.msgid_plural} == {
        entry.msgid: entry.msgstr for entry in catalogue if not entry.msgid_plural and entry.msgid
    }


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools not installed")
def test_every_message_in_the_code_is_in_the_catalogues(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "tinhso", copy / "tinhso", ignore=shutil.ignore_patterns("__pycache__", "tests"))
    shutil.copytree(ROOT / "config", copy / "config", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    for app in sorted((copy / "tinhso").glob("*/apps.py")):
        subprocess.run(
            [sys.executable, str(copy / "manage.py"), "makemessages", "-l", "vi", "--no-location"],
            cwd=app.parent,
            check=True,
            capture_output=True,
        )
    missing = []
    for app in APPS:
        known = {entry.msgid for entry in _catalogue(app, "vi")}
        fresh = polib.pofile(str(copy / "tinhso" / app.name / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
        missing += [f"{app.name}: {entry.msgid!r}" for entry in fresh if entry.msgid not in known]
    assert missing == [], "Run scripts/messages and translate: " + "; ".join(missing)


def test_a_message_reads_the_same_in_every_module():
    """Django merges the apps' catalogues, the first app winning: one English message must have one
    Vietnamese translation, or a module silently shows another module's wording."""
    translations: dict[str, dict[str, str]] = {}
    for app in APPS:
        for entry in _catalogue(app, "vi"):
            if entry.msgid and not entry.msgid_plural and not entry.msgctxt:
                translations.setdefault(entry.msgid, {})[app.name] = entry.msgstr
    conflicts = {msgid: by_app for msgid, by_app in translations.items() if len(set(by_app.values())) > 1}
    assert conflicts == {}, "Use the same translation, or a distinct message (or context), for: " + str(conflicts)


PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[-#0 +]*\d*(?:\.\d+)?[sdifr]")


def _placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text.replace("%%", "")))


@pytest.mark.parametrize("app", APPS, ids=lambda path: path.name)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_translation_fills_the_same_placeholders_as_its_message(app, language):
    """What msgfmt --check-format refuses: a translation naming another placeholder ("%(limit)s" for "%(mb)d")
    fails at run time with a KeyError on the very message that should explain an error."""
    wrong = [
        (entry.msgid, entry.msgstr)
        for entry in _catalogue(app, language)
        if "python-format" in entry.flags and entry.msgstr and _placeholders(entry.msgid) != _placeholders(entry.msgstr)
    ]
    assert wrong == []
