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
# timedatectl talks to systemd-timedated over D-Bus (Debian's boxes have it); without a system
# bus, systemctl does the same directly.
if [ -S /run/dbus/system_bus_socket ]; then
  timedatectl set-ntp true
  echo "time: systemd-timesyncd keeps the clock (NTP synchronised: $(timedatectl show -p NTPSynchronized --value 2>/dev/null || echo unknown))"
else
  systemctl enable --now systemd-timesyncd
  echo "time: systemd-timesyncd keeps the clock (no D-Bus on this machine: enabled with systemctl)"
fi
