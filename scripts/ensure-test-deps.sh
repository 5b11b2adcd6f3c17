#!/usr/bin/env bash
# System packages the test suite needs, installed from Debian when missing: chromium (browser
# runtime tests) and prometheus (promtool checks our Prometheus and OpenMetrics text). Runs as root or through sudo; prints what it installs.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/promtool ] || need+=(prometheus)

if [ ${#need[@]} -gt 0 ]; then
  echo "ensure-test-deps: installing Debian packages: ${need[*]}" >&2
  as_root=""
  if [ "$(id -u)" -ne 0 ]; then as_root="sudo"; fi
  $as_root apt-get update -qq
  $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
