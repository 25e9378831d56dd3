# Shared helpers for the set-up scripts.
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
is_debian_root() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }
APT_UPDATED=""
apt_install() {
  # apt_install PACKAGE...: install the packages that are missing (Debian, as root).
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! is_debian_root; then
    echo "Missing system packages: ${missing[*]}. Install them (Debian/Ubuntu: apt-get install ${missing[*]})." >&2
    return 1
  fi
  say "installing ${missing[*]} (apt)"
  if [ -z "$APT_UPDATED" ]; then apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
