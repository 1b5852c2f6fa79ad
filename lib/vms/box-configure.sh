#!/bin/sh
# Runs inside the box's root folder (chroot) after debootstrap: what makes it a vagrant box.
# $1: Vagrant's insecure public key(s).
set -eu
export DEBIAN_FRONTEND=noninteractive
keys="$1"

echo bookworm > /etc/hostname
printf '127.0.0.1\tlocalhost\n127.0.1.1\tbookworm\n::1\tlocalhost ip6-localhost ip6-loopback\n' > /etc/hosts
echo 'LABEL=wb-root / ext4 defaults,errors=remount-ro 0 1' > /etc/fstab
cat > /etc/network/interfaces <<'EOF'
source /etc/network/interfaces.d/*

auto lo
iface lo inet loopback

auto eth0
iface eth0 inet dhcp
EOF

# The vagrant user, as every box has it: Vagrant replaces the insecure key at the first `vagrant up`.
id vagrant >/dev/null 2>&1 || useradd --create-home --shell /bin/bash --groups sudo vagrant
echo 'vagrant:vagrant' | chpasswd
install -d -o vagrant -g vagrant -m 0700 /home/vagrant/.ssh
printf '%s\n' "$keys" > /home/vagrant/.ssh/authorized_keys
chown vagrant:vagrant /home/vagrant/.ssh/authorized_keys
chmod 0600 /home/vagrant/.ssh/authorized_keys
echo 'vagrant ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/vagrant
chmod 0440 /etc/sudoers.d/vagrant
passwd -l root >/dev/null

# sshd: no reverse lookups (slow logins without DNS), host keys made at first boot (each VM its own).
printf 'UseDNS no\n' > /etc/ssh/sshd_config.d/vagrant.conf
rm -f /etc/ssh/ssh_host_*
install -d /etc/systemd/system/ssh.service.d
printf '[Service]\nExecStartPre=\nExecStartPre=/usr/bin/ssh-keygen -A\nExecStartPre=/usr/sbin/sshd -t\n' > /etc/systemd/system/ssh.service.d/host-keys.conf

# Each VM its own machine id (made at first boot; D-Bus reads the same one); the serial console
# for `virsh console`.
: > /etc/machine-id
rm -f /var/lib/dbus/machine-id
[ -d /var/lib/dbus ] && ln -s /etc/machine-id /var/lib/dbus/machine-id
systemctl enable serial-getty@ttyS0.service >/dev/null 2>&1 || true
apt-get clean
rm -rf /var/lib/apt/lists/* /tmp/* /var/tmp/*
