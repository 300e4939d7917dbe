#!/usr/bin/env bash
# axe-core for the accessibility browser tests (issue 14): fetched from the npm registry with
# `npm pack` at a pinned version, checked against its SHA-256, unpacked into a cache and
# injected into the pages by the tests (never loaded from a CDN). Prints the path of axe.min.js.
set -euo pipefail
VERSION=4.14.1
SHA256=e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745
CACHE=${HANDISTAT_AXE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/handistat/axe-core-$VERSION}
if [ ! -f "$CACHE/package/axe.min.js" ]; then
  mkdir -p "$CACHE"
  (cd "$CACHE" && npm pack "axe-core@$VERSION" --silent >/dev/null)
  echo "$SHA256  $CACHE/axe-core-$VERSION.tgz" | sha256sum --check --quiet
  tar -xzf "$CACHE/axe-core-$VERSION.tgz" -C "$CACHE" package/axe.min.js package/LICENSE
fi
echo "$CACHE/package/axe.min.js"
