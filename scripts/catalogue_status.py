"""Print, for each app's vi and en catalogue, how many messages lack a translation or are fuzzy.

Exit status 1 if any does (the test suite runs the same check)."""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def problems() -> list[str]:
    found = []
    for po_path in sorted(ROOT.glob("tinhso/*/locale/*/LC_MESSAGES/django.po")):
        catalogue = polib.pofile(str(po_path))
        missing = [entry.msgid for entry in catalogue if not entry.translated() and not entry.obsolete]
        fuzzy = [entry.msgid for entry in catalogue if entry.fuzzy]
        for kind, messages in (("untranslated", missing), ("fuzzy", fuzzy)):
            for message in messages:
                found.append(f"{po_path.relative_to(ROOT)}: {kind}: {message!r}")
    return found


if __name__ == "__main__":
    listed = problems()
    print("\n".join(listed) if listed else "All catalogues complete.")
    sys.exit(1 if listed else 0)
