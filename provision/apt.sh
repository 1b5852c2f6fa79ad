#!/bin/sh
# Base preparation 2/3: a fresh package index, so the chapters' `apt-get install` works at once.
# $1 (optional): an apt proxy URL, e.g. http://192.168.56.1:3142 (apt-cacher-ng on the
# instructor's laptop). Installing packages is left to the chapters, as in the guide.
set -eu
proxy="${1:-}"
conf=/etc/apt/apt.conf.d/01ha-workbook-proxy
if [ -n "$proxy" ]; then
  echo "Acquire::http::Proxy \"$proxy\";" > "$conf"
  echo "apt: using the proxy $proxy"
else
  rm -f "$conf"
fi
# One list of sources: an image with both the one-line sources.list and the deb822
# sources.list.d/debian.sources naming the same archives makes apt warn about each of them
# ("configured multiple times"). Keep the deb822 file, set the other aside (not deleted).
list=/etc/apt/sources.list
if [ -s /etc/apt/sources.list.d/debian.sources ] && [ -f "$list" ] && grep -q '^[[:space:]]*deb[[:space:]]' "$list"; then
  mv "$list" "$list.ha-workbook-duplicate"
  echo "apt: $list named the same archives as sources.list.d/debian.sources; kept as $list.ha-workbook-duplicate"
fi
export DEBIAN_FRONTEND=noninteractive
# A timer may be running apt right after boot: wait for its lock instead of failing.
log=$(mktemp)
status=0
apt-get -q -o DPkg::Lock::Timeout=300 update > "$log" 2>&1 || status=$?
cat "$log"
if [ "$status" -eq 0 ] && grep -q 'configured multiple times' "$log"; then
  echo "apt: some sources are configured twice (see above): remove the duplicate lines" >&2
  status=1
fi
rm -f "$log"
exit "$status"
