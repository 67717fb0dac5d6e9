#!/usr/bin/env bash
# Installs the system packages rdbss4j's tests need: FUSE 3 for rdrd's mounts, a Samba server and its client
# tools for rdbss4j-testkit. Idempotent: does nothing when everything is present.
set -euo pipefail

# Each entry: "<command that must be on PATH, or an absolute file path>:<Debian package>".
# FUSE (rdbss4j-service mounts mapped devices with jfuse, which loads the versioned libfuse3.so.3).
REQUIRED=(
  "fusermount3:fuse3"
  "/usr/lib/x86_64-linux-gnu/libfuse3.so.3:libfuse3-3"
  "smbd:samba"
  "pdbedit:samba"
  "smbpasswd:samba"
  "testparm:samba"
  "smbstatus:samba"
  "smbclient:smbclient"
)

# Samba's daemons live in /usr/sbin, which is not always on a non-root PATH.
export PATH="$PATH:/usr/sbin:/sbin"

missing_packages=()
for entry in "${REQUIRED[@]}"; do
  cmd="${entry%%:*}"
  pkg="${entry#*:}"
  if { [[ "$cmd" == /* ]] && [ ! -e "$cmd" ]; } || { [[ "$cmd" != /* ]] && ! command -v "$cmd" >/dev/null 2>&1; }; then
    case " ${missing_packages[*]:-} " in
      *" $pkg "*) ;;
      *) missing_packages+=("$pkg") ;;
    esac
  fi
done

if [ "${#missing_packages[@]}" -eq 0 ]; then
  echo "install-deps: all test dependencies are installed."
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "install-deps: missing packages: ${missing_packages[*]}" >&2
  echo "install-deps: not root and no sudo; run as root:" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends ${missing_packages[*]}" >&2
  exit 1
fi

echo "install-deps: installing ${missing_packages[*]}"
"${SUDO[@]}" apt-get update
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${missing_packages[@]}"
