import { createHash } from 'node:crypto';

/**
 * A Debian 12 vagrant box for libvirt, made here from Debian's packages (no box can be
 * downloaded on this machine): debootstrap into a folder, one ext4 filesystem image made from
 * it (no partitions, no bootloader: libvirt boots the kernel directly), qcow2, and a .box.
 * Like debian/bookworm64: user vagrant with Vagrant's insecure key and passwordless sudo,
 * eth0 by DHCP, sshd; nothing of the workbook's own (the chapters install that).
 */
export const BOX_NAME = 'ha-workbook/bookworm64-local';
export const BOX_CACHE = process.env.WORKBOOK_BOX_CACHE ?? '/var/cache/ha-workbook/box';
export const SUITE = 'bookworm';
export const DISK_GIB = 8;
export const ROOT_LABEL = 'wb-root';
export const KERNEL_CMDLINE = `root=LABEL=${ROOT_LABEL} rw console=ttyS0,115200 net.ifnames=0 biosdevname=0`;

/**
 * On top of debootstrap's default set (required and important: ifupdown, iproute2, ping…), what
 * makes it like Debian's own debian/bookworm64 box: systemd with D-Bus and logind (timedatectl,
 * hostnamectl and `systemctl --user` need them), timesyncd, sshd, sudo, rsync, CA certificates.
 */
export const BOX_PACKAGES = [
  'linux-image-amd64',
  'systemd-sysv',
  'dbus',
  'libpam-systemd',
  'openssh-server',
  'sudo',
  'ifupdown',
  'isc-dhcp-client',
  'systemd-timesyncd',
  'rsync',
  'ca-certificates',
];

export interface BoxFiles {
  dir: string;
  image: string;
  kernel: string;
  initrd: string;
  box: string;
  stamp: string;
}

export function boxFiles(dir = BOX_CACHE): BoxFiles {
  return {
    dir,
    image: `${dir}/box.img`,
    kernel: `${dir}/vmlinuz`,
    initrd: `${dir}/initrd.img`,
    box: `${dir}/bookworm64-local.box`,
    stamp: `${dir}/recipe.sha256`,
  };
}

/** Changes whenever the recipe does, so that a cached box from an older recipe is rebuilt. */
export function recipeStamp(configureScript: string, files: BoxFiles = boxFiles()): string {
  return createHash('sha256')
    .update(
      JSON.stringify({ SUITE, BOX_PACKAGES, DISK_GIB, KERNEL_CMDLINE, configureScript, vagrantfile: boxVagrantfile(files) }),
    )
    .digest('hex');
}

/** The Vagrantfile inside the box: libvirt boots the box's kernel straight from the cache. */
export function boxVagrantfile(files: BoxFiles): string {
  return `# Made by lib/vms/box-build.ts: a bookworm box without a bootloader.
Vagrant.configure("2") do |config|
  config.vm.provider :libvirt do |lv|
    lv.kernel = "${files.kernel}"
    lv.initrd = "${files.initrd}"
    lv.cmd_line = "${KERNEL_CMDLINE}"
    lv.disk_bus = "virtio"
  end
end
`;
}

export function boxMetadata(): string {
  return `${JSON.stringify({ provider: 'libvirt', format: 'qcow2', virtual_size: DISK_GIB })}\n`;
}
