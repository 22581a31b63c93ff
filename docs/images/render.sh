#!/usr/bin/env bash
# Renders the pictures in docs/images from the current build, as a reader sees them:
#   catalog-chart.png  `tppcalc chart` (SVG, rendered by rsvg-convert)
#   sweep-chart.png    `tppcalc sweep --format svg`
#   report.png         `tppcalc report` (HTML, screenshot by headless Chromium)
#   web-*.png          the page of `tppcalc serve`, from the browser test's screenshots
# Needs rsvg-convert (Debian: librsvg2-bin) and chromium; run from the repository root after
# `TPPCALC_REQUIRE_BROWSER=1 cargo test --test it web_e2e` (which writes target/web-e2e*.png).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=docs/images
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo build --quiet
bin=target/debug/tppcalc
$bin chart -q --output "$tmp/chart.svg"
rsvg-convert -w 1600 "$tmp/chart.svg" -o $out/catalog-chart.png
$bin sweep -q --param 3A090.a.1.tpp.at_least --from 1000 --to 10000 --steps 10 --rules us-2023-11 \
  --format svg --output "$tmp/sweep.svg"
rsvg-convert -w 1200 "$tmp/sweep.svg" -o $out/sweep-chart.png
$bin report -q --output "$tmp/report.html"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1800 \
  --screenshot="$tmp/report.png" "file://$tmp/report.html" 2>/dev/null
cp "$tmp/report.png" $out/report.png
for shot in web-e2e web-e2e-tooltip web-e2e-zoom web-e2e-matrix web-e2e-foundry-cluster; do
  if [ -f "target/$shot.png" ]; then cp "target/$shot.png" "$out/${shot/web-e2e/web}.png"; fi
done
ls -l $out/*.png
