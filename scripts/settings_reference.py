"""Write docs/production.md's configuration reference from reciprocal.config.settings.

    .venv/bin/python scripts/settings_reference.py [--check]

The table between the reference markers is made anew from the settings table; nothing else in
the document changes. With --check it writes nothing and exits 1 when the document is not in
step (tests/unit/test_production_docs.py checks the same).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reciprocal.config.settings import with_reference

DOCUMENT = Path(__file__).resolve().parents[1] / "docs" / "production.md"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether it is in step")
    args = parser.parse_args()
    current = DOCUMENT.read_text()
    wanted = with_reference(current)
    if wanted == current:
        return 0
    if args.check:
        print(f"{DOCUMENT} is not in step with the settings table: run {sys.argv[0]}")
        return 1
    DOCUMENT.write_text(wanted)
    print(f"wrote the settings reference into {DOCUMENT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
