# The Reciprocal platform image: the web process (gunicorn, the default command) and the grading
# worker (`reciprocal worker`) from one image.
#
# No container registry is reachable on our machines (nor on many customers'), so the image
# starts from the locally made Debian bookworm base (runners/base/build-base.sh, built by
# `reciprocal runners build`). Any Debian bookworm image works: --build-arg BASE_IMAGE=...
#
# Python dependencies come from PyPI. Behind a TLS-intercepting egress proxy, put its CA bundle
# at build/docker/ca.crt before building (scripts/compose-test.sh does); it is used only by pip
# and is not kept in the image.
ARG BASE_IMAGE=reciprocal-base:bookworm
FROM ${BASE_IMAGE}

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      python3 python3-venv git ca-certificates \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb

# Dependencies first (from pyproject.toml only), so that code changes reuse this layer.
COPY pyproject.toml build/docker/*.cr[t] /tmp/build/
RUN python3 -m venv /opt/venv \
 && python3 -c 'import tomllib; print("\n".join(tomllib.load(open("/tmp/build/pyproject.toml", "rb"))["project"]["dependencies"]))' \
      > /tmp/build/requirements.txt \
 && cert=""; if [ -f /tmp/build/ca.crt ]; then cert="--cert /tmp/build/ca.crt"; fi \
 && /opt/venv/bin/pip install --no-cache-dir --disable-pip-version-check $cert \
      -r /tmp/build/requirements.txt \
 && rm -rf /tmp/build

# The source tree is run in place (PYTHONPATH), next to the shipped assignments and runners,
# which the code finds relative to itself.
WORKDIR /app
COPY platform/ /app/platform/
COPY assignments/ /app/assignments/
COPY runners/ /app/runners/
RUN printf '#!/bin/sh\nexec /opt/venv/bin/python -m reciprocal.cli "$@"\n' > /usr/local/bin/reciprocal \
 && chmod 755 /usr/local/bin/reciprocal \
 && /opt/venv/bin/python -m compileall -q /app/platform \
 && groupadd --gid 10001 reciprocal \
 && useradd --uid 10001 --gid 10001 --home-dir /data --no-create-home \
      --shell /usr/sbin/nologin reciprocal \
 && install -d -o 10001 -g 10001 -m 0750 /data

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app/platform \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    RECIPROCAL_DATA_DIR=/data \
    RECIPROCAL_SCRATCH_DIR=/tmp/reciprocal-scratch

USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python3", "-c", "import os, urllib.request; port = os.environ.get('WEB_BIND', ':8000').rsplit(':', 1)[1]; urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4)"]

# The web process (settings in platform/reciprocal/gunicorn_conf.py: WEB_BIND,
# WEB_CONCURRENCY, WEB_THREADS). gunicorn drains on SIGTERM: in-flight requests get
# graceful_timeout (30 s) to finish. Run `reciprocal worker` instead for a grading worker
# (SIGTERM is RQ's warm shutdown: the current job finishes first, so give that container a stop
# timeout above the longest job). Apply migrations with `reciprocal db upgrade`.
CMD ["gunicorn", "--config", "python:reciprocal.gunicorn_conf", "reciprocal:create_app()"]
