"""The in-container harness (runners/harness) imported from source, for unit tests of its
pure logic: its packages use only the standard library."""

from __future__ import annotations

import sys
from types import SimpleNamespace

from reciprocal.runner.images import runners_dir


def harness_modules() -> SimpleNamespace:
    """The harness's modules by short name (child, extract, junit, ..., python, node, go)."""
    root = str(runners_dir() / "harness")
    if root not in sys.path:
        sys.path.insert(0, root)
    from reciprocal_harness import child, extract, junit, protocol, scan, sentinels, spawner
    from reciprocal_harness.languages import go, node, python
    from reciprocal_judge import codec, connection

    return SimpleNamespace(child=child, extract=extract, junit=junit, protocol=protocol,
                           scan=scan, sentinels=sentinels, spawner=spawner, go=go, node=node,
                           python=python, codec=codec, connection=connection)
