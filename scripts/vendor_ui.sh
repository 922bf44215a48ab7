#!/usr/bin/env bash
# The dashboard's JavaScript (src/channelguard/serve/ui/static/vendor/) and the
# browser tests' axe-core (tests/ui/vendor/), fetched at pinned versions with
# `npm pack` (the registry's tarball, checked by npm against its integrity hash),
# copied with their licences, and listed with their sha256 in VENDORED.md.
# Run by hand to upgrade; the copies are committed, so a clone needs no npm.
set -euo pipefail
cd "$(dirname "$0")/.."

UI=src/channelguard/serve/ui/static/vendor
TESTS=tests/ui/vendor
# name version licence  dist file in the package  destination
PINS=(
  "htmx.org 2.0.11 0BSD dist/htmx.min.js $UI"
  "cytoscape 3.35.0 MIT dist/cytoscape.min.js $UI"
  "chart.js 4.6.2 MIT dist/chart.umd.min.js $UI"
  "axe-core 4.14.1 MPL-2.0 axe.min.js $TESTS"
)

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$UI" "$TESTS"
rm -f "$UI"/*.js "$UI"/*.LICENSE.txt "$TESTS"/*.js "$TESTS"/*.LICENSE.txt

table() {
  echo "# Vendored JavaScript"
  echo
  echo "Fetched by \`scripts/vendor_ui.sh\` with \`npm pack\` at the versions below;"
  echo "each file's licence is the one beside it (\`NAME.LICENSE.txt\`)."
  echo
  echo "| package | version | licence | file | sha256 |"
  echo "|---|---|---|---|---|"
}
UI_ROWS="$(table)"
TEST_ROWS="$(table)"

for pin in "${PINS[@]}"; do
  read -r name version licence file dest <<<"$pin"
  (cd "$WORK" && npm pack --silent "$name@$version" >/dev/null)
  tarball="$(ls "$WORK"/*.tgz)"
  mkdir -p "$WORK/x"
  tar -xzf "$tarball" -C "$WORK/x"
  base="$(basename "$file")"
  cp "$WORK/x/package/$file" "$dest/$base"
  lic="$(ls "$WORK"/x/package/LICEN[SC]E* | head -1)"
  cp "$lic" "$dest/$name.LICENSE.txt"
  sum="$(sha256sum "$dest/$base" | cut -d' ' -f1)"
  row="| $name | $version | $licence | $base | \`$sum\` |"
  if [ "$dest" = "$UI" ]; then UI_ROWS+=$'\n'"$row"; else TEST_ROWS+=$'\n'"$row"; fi
  rm -rf "$WORK/x" "$tarball"
done

printf '%s\n' "$UI_ROWS" >"$UI/VENDORED.md"
printf '%s\n' "$TEST_ROWS" >"$TESTS/VENDORED.md"
echo "vendored into $UI and $TESTS"
