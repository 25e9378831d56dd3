#!/usr/bin/env bash
# Build the Debian bookworm base image that every Reciprocal image starts from.
#
# No container registry is reachable on many hiring teams' machines (and none is on ours), so
# `docker pull debian:bookworm` is not an option. debootstrap builds a minimal root filesystem
# from Debian's own package mirror and `docker import` turns it into an image.
#
# The image's apt sources are bookworm, bookworm-updates and bookworm-security, so every image
# built on it installs Debian's security updates (debootstrap alone knows only bookworm), and
# the base's own packages are upgraded once it is imported.
#
# Usage: build-base.sh IMAGE_TAG [MIRROR]
set -euo pipefail
tag=${1:?usage: build-base.sh IMAGE_TAG [MIRROR]}
mirror=${2:-${RECIPROCAL_DEBIAN_MIRROR:-http://deb.debian.org/debian}}
security=${RECIPROCAL_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "base image $tag is already there"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }

root=$(mktemp -d /tmp/reciprocal-base.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "building Debian bookworm root filesystem with debootstrap (about a minute)..."
debootstrap --variant=minbase --include=ca-certificates bookworm "$root" "$mirror" \
  | sed -u 's/^/  debootstrap: /'
cat > "$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
# Keep the image small and deterministic: no apt caches, no documentation.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
  "$root"/usr/share/man/*
echo "importing into docker as $tag..."
tar -C "$root" -c . | docker import \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["/bin/bash"]' \
  - "$tag" >/dev/null
echo "installing Debian's security updates into $tag..."
docker build -q -t "$tag" - >/dev/null <<EOF
FROM $tag
RUN apt-get update \\
 && DEBIAN_FRONTEND=noninteractive apt-get -y upgrade \\
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
EOF
echo "base image $tag is ready"
