#!/bin/sh
# Base preparation 3/3: synchronised clocks. etcd and Patroni compare leases and timestamps
# across machines, and a laptop that slept leaves its VMs' clocks behind.
set -eu
export DEBIAN_FRONTEND=noninteractive
for daemon in chronyd ntpd openntpd; do
  if command -v "$daemon" >/dev/null 2>&1; then echo "time: $daemon keeps the clock"; exit 0; fi
done
if ! dpkg-query -W -f='${Status}' systemd-timesyncd 2>/dev/null | grep -q 'install ok installed'; then
  apt-get -q -y -o DPkg::Lock::Timeout=300 install systemd-timesyncd
fi
# `timedatectl set-ntp true` asks systemd-timedated over D-Bus, and its default 25 s timeout
# runs out on a busy or emulated VM ("Failed to set ntp: Connection timed out"). It does no
# more than enable and start the NTP unit, so systemctl does that directly, with or without D-Bus.
systemctl enable --now systemd-timesyncd
synced=$(timedatectl show -p NTPSynchronized --value 2>/dev/null || echo unknown)
echo "time: systemd-timesyncd keeps the clock (NTP synchronised: $synced)"
