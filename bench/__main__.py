"""Run every benchmark in bench/ in turn (each prints its own figures)."""

import pkgutil
import subprocess
import sys
from pathlib import Path

if __name__ == "__main__":
    found = pkgutil.iter_modules([str(Path(__file__).parent)])
    names = sorted(module.name for module in found if module.name not in ("common", "__main__"))
    for name in names:
        print(f"== bench.{name}", flush=True)
        subprocess.run([sys.executable, "-m", f"bench.{name}"], check=False)
