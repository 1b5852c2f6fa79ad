#!/bin/sh
# Base preparation 1/3: every machine knows every other by name, as in the lab.
# $1: the IP plan, one "ADDRESS NAME" per line (from the Vagrantfile). Runs at every `vagrant up`.
set -eu
plan="$1"
hosts="${HOSTS_FILE:-/etc/hosts}"   # overridable for the unit test
begin='# ha-workbook machines: BEGIN (written by provision/hosts.sh)'
end='# ha-workbook machines: END'
names=$(printf '%s\n' "$plan" | awk '{print $2}' | paste -sd'|')

tmp=$(mktemp)
# Keep everything but our old block and any other line naming one of our machines
# (Vagrant maps the machine's own name to 127.0.1.1 or to its address: node1 must resolve
# to 192.168.56.11 everywhere, itself included, as it does in the lab).
awk -v b="$begin" -v e="$end" -v names="^($names)\$" '
  $0 == b { skip = 1; next }
  $0 == e { skip = 0; next }
  skip { next }
  /^[[:space:]]*#/ || NF < 2 { print; next }
  { for (i = 2; i <= NF; i++) if ($i ~ names) next; print }
' "$hosts" > "$tmp"
{ cat "$tmp"; echo "$begin"; printf '%s\n' "$plan"; echo "$end"; } > "$tmp.new"
if ! cmp -s "$tmp.new" "$hosts"; then
  cat "$tmp.new" > "$hosts"
  echo "hosts: /etc/hosts now lists the workbook's machines"
fi
rm -f "$tmp" "$tmp.new"
