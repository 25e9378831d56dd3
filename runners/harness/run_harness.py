"""The ENTRYPOINT of every runner image: ``python3 -I -B /opt/reciprocal/run_harness.py <lang>``.

``-I`` keeps the script's folder off sys.path, so this puts /opt/reciprocal there explicitly
(root-owned, read-only) and starts the harness package.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from reciprocal_harness.main import main

sys.exit(main(sys.argv))
