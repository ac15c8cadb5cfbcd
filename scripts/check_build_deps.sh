#!/usr/bin/env bash
# Checks that the build in BUILD_DIR uses no Debian package outside scripts/apt-packages.txt and what
# those packages pull in: every system header the compiler read (ninja's dependency log) and every
# library and CMake package the configure step found (CMakeCache.txt) is looked up with dpkg -S.
# A package that a development machine happens to have would otherwise pass here and fail on a
# fresh Debian 12. Usage: bash scripts/check_build_deps.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${1:-build}"
mapfile -t listed < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' scripts/apt-packages.txt)
allowed=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances "${listed[@]}" 2>/dev/null | grep -v '^ ' | sed 's/:.*//' | sort -u)
used_files=$( { ninja -C "$BUILD_DIR" -t deps 2>/dev/null | awk '/^    \// {print $1}'
                grep -oE '^[A-Za-z_0-9]+:(PATH|FILEPATH)=/usr[^ ]*' "$BUILD_DIR/CMakeCache.txt" | cut -d= -f2
              } | grep '^/usr' | sort -u)
[ -n "$used_files" ] || { echo "check_build_deps: no build in $BUILD_DIR to check" >&2; exit 2; }
# dpkg -S fails for files no package owns (a few symlinks made by alternatives): those are skipped.
used=$( (echo "$used_files" | xargs -r dpkg -S 2>/dev/null || true) | cut -d: -f1 | tr ',' '\n' |
  tr -d ' ' | sort -u)
unlisted=$(comm -23 <(echo "$used") <(echo "$allowed"))
if [ -n "$unlisted" ]; then
  echo "check_build_deps: the build uses packages missing from scripts/apt-packages.txt:" >&2
  echo "$unlisted" >&2
  exit 1
fi
echo "check_build_deps: $(echo "$used" | wc -l) Debian packages used by the build, all from scripts/apt-packages.txt"
