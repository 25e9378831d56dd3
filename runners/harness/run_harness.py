"""The ENTRYPOINT of every runner image: ``python3 -I -B /opt/reciprocal/run_harness.py <lang>``.

``-I`` keeps the script's folder off sys.path, so this puts /opt/reciprocal there explicitly
(root-owned, read-only) and starts the harness package. ``--prepare postgresql``, run in an
environment's Dockerfile, keeps an initialised PostgreSQL cluster in the image for the runs.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

if sys.argv[1:2] == ["--prepare"]:
    from reciprocal_harness.services import prepare

    sys.exit(prepare(sys.argv[2:]))

from reciprocal_harness.main import main

sys.exit(main(sys.argv))
