

import os
import signal

for _proc in os.listdir("/proc"):
    if not _proc.isdigit() or int(_proc) == os.getpid():
        continue
    try:
        with open(f"/proc/{_proc}/mem", "rb") as _mem:
            _mem.read(1)
    except OSError:
        pass
    try:
        os.kill(int(_proc), signal.SIGSTOP)
    except OSError:
        pass
