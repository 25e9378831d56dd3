#!/bin/sh
# Build statx-shim.c into /usr/lib/reciprocal and have every dynamically linked program load it
# (/etc/ld.so.preload). A runner image's Dockerfile runs this once, as root, after copying the
# harness; the compiler it installs is removed again in the same step, with only the packages
# this step added, so the image keeps no compiler it did not have.
set -eu
here=$(dirname "$0")
before=$(mktemp)
dpkg-query -W -f '${Package}\n' | sort > "$before"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gcc libc6-dev \
  > /dev/null
mkdir -p /usr/lib/reciprocal
gcc -O2 -shared -fPIC -Wall -Werror -o /usr/lib/reciprocal/statx-shim.so "$here/statx-shim.c"
added=$(dpkg-query -W -f '${Package}\n' | sort | comm -13 "$before" -)
# shellcheck disable=SC2086 # one package name per word
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $added > /dev/null
rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /var/cache/apt/*.bin "$before"
echo /usr/lib/reciprocal/statx-shim.so > /etc/ld.so.preload
