#!/usr/bin/env bash
# The README's test command: fetches the system tools the tests drive when this machine lacks them
# (a real Prometheus server, from Debian's package, unpacked under target/tools without installing
# a service; Chromium and its driver for the dashboard's browser tests), then runs the test suite.
# Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")"
tools="$PWD/target/tools"
if ! command -v prometheus >/dev/null && [ ! -x "$tools/usr/bin/prometheus" ]; then
  mkdir -p "$tools/debs"
  (
    cd "$tools/debs"
    if ! apt-get download prometheus; then
      # a fresh machine may have no package lists yet
      if [ "$(id -u)" -eq 0 ]; then apt-get update -q; else sudo apt-get update -q; fi
      apt-get download prometheus
    fi
  )
  dpkg-deb -x "$tools"/debs/prometheus_*.deb "$tools"
  "$tools/usr/bin/prometheus" --version | head -1
fi
# The dashboard's browser tests drive Debian's Chromium through its chromedriver, installed here
# when missing (as root, or through sudo).
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  as_root() { if [ "$(id -u)" -eq 0 ]; then env DEBIAN_FRONTEND=noninteractive "$@"; else sudo env DEBIAN_FRONTEND=noninteractive "$@"; fi; }
  # a fresh machine may have no package lists yet
  as_root apt-get install -y -q chromium chromium-driver \
    || { as_root apt-get update -q && as_root apt-get install -y -q chromium chromium-driver; }
  /usr/bin/chromium --version
fi
for tool in unshare dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "test.sh: '$tool' is missing (Debian: apt-get install util-linux dpkg)" >&2; exit 1; }
done
exec mvn -B test "$@"
