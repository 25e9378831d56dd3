"""Reciprocal's in-container test harness: the ENTRYPOINT of every runner image.

Protocol (the worker side lives in ``reciprocal.runner.engine``):

* stdin carries one header line (JSON, see ``protocol.Header``) followed by an uncompressed tar
  holding ``submission/`` and ``hidden/``. The harness extracts it into /work and closes stdin.
* Every test command runs as a child whose stdout and stderr go to a pipe that the harness reads
  with a byte cap: the candidate's code never writes to the container's stdout.
* Test results come back over a pipe only the harness reads (``child.Channel``), never a file in
  a folder the candidate's uid can write; the harness turns them into JUnit XML.
* The harness writes ONE JSON document on its own stdout, carrying the nonce from the header,
  which the candidate's code cannot learn (stdin is consumed before any of it runs, and the
  harness is not dumpable). A document the candidate forges is ignored by the worker.

Users: the container starts as root holding only CAP_SETUID, CAP_SETGID and CAP_CHOWN. The
harness extracts the payload as root, hands /work/submission to the candidate's uid
(``layout.RUNNER_UID``) and runs candidate code only as that uid, with no capabilities. Where a
language supports it (Python), the hidden tests run as a third uid (``layout.JUDGE_UID``) in a
process that never imports candidate code and reaches the submission over a process boundary
(``reciprocal_judge``); the candidate's uid cannot read the hidden tests then.

Runs with ``python3 -I`` and uses only the standard library.
"""
