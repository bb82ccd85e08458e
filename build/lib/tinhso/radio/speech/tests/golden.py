"""Reading the golden set (golden.tsv): written text and the reading an announcer would give."""

from pathlib import Path

GOLDEN = Path(__file__).with_name("golden.tsv")


def golden_pairs() -> list[tuple[str, str]]:
    pairs = []
    for line in GOLDEN.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            written, reading = line.split("\t")
            pairs.append((written, reading))
    return pairs
