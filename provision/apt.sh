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
export DEBIAN_FRONTEND=noninteractive
# A timer may be running apt right after boot: wait for its lock instead of failing.
apt-get -q -o DPkg::Lock::Timeout=300 update
