import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { $ } from 'zx';
import {
  BOX_PACKAGES,
  type BoxFiles,
  boxFiles,
  boxMetadata,
  boxVagrantfile,
  DISK_GIB,
  ROOT_LABEL,
  recipeStamp,
  SUITE,
} from './box-recipe.ts';

const CONFIGURE = fileURLToPath(new URL('./box-configure.sh', import.meta.url));
type Say = (line: string) => void;

/** The mirror this machine's apt uses (debootstrap and the VMs use the same). */
export async function debianMirror(): Promise<string> {
  const sources = await readFile('/etc/apt/sources.list.d/debian.sources', 'utf8').catch(() => '');
  const uri = /^URIs:\s*(\S+)/m.exec(sources)?.[1];
  if (uri) return uri;
  const list = await readFile('/etc/apt/sources.list', 'utf8').catch(() => '');
  return /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(list)?.[1] ?? 'http://deb.debian.org/debian';
}

/** Vagrant's insecure public key(s), from the vagrant installation. */
async function insecureKeys(): Promise<string> {
  const found = await $({
    quiet: true,
    nothrow: true,
  })`sh -c ${'cat /usr/share/rubygems-integration/all/gems/vagrant-*/keys/vagrant.pub /opt/vagrant/embedded/gems/gems/vagrant-*/keys/vagrant.pub 2>/dev/null'}`;
  const keys = found.stdout
    .split('\n')
    .filter((l) => /^ssh-/.test(l))
    .join('\n');
  if (!keys) throw new Error("cannot find Vagrant's insecure public key (keys/vagrant.pub in the vagrant gem)");
  return keys;
}

/** True when the cached box was made by this recipe. */
export async function boxIsCurrent(files: BoxFiles = boxFiles()): Promise<boolean> {
  const stamp = await readFile(files.stamp, 'utf8').catch(() => '');
  return stamp.trim() === recipeStamp(await readFile(CONFIGURE, 'utf8'), files);
}

/**
 * Builds the box into the cache (root, minutes: debootstrap talks to Debian's mirror only).
 * Nothing is mounted: the filesystem image is made from the folder by mkfs.ext4 -d.
 */
export async function buildBox(say: Say, files: BoxFiles = boxFiles()): Promise<void> {
  const work = `${files.dir}/work`;
  const rootfs = `${work}/rootfs`;
  const run = $({ quiet: !process.env.WORKBOOK_VERBOSE, verbose: false });
  await mkdir(files.dir, { recursive: true });
  await removeWork(work);
  await mkdir(work, { recursive: true });
  const mirror = await debianMirror();

  say(`  debootstrap ${SUITE} from ${mirror} (with ${BOX_PACKAGES.join(', ')})`);
  await run`debootstrap --include=${BOX_PACKAGES.join(',')} ${SUITE} ${rootfs} ${mirror}`;

  say('  making it a vagrant box: user vagrant, sshd, DHCP on eth0, the same apt sources as this machine');
  await copyAptSources(rootfs);
  await run`chroot ${rootfs} /bin/sh -s ${await insecureKeys()} < ${CONFIGURE}`;

  say('  kernel and initrd beside the image (libvirt boots them directly)');
  const boot = await readdir(`${rootfs}/boot`);
  const kernel = boot
    .filter((f) => f.startsWith('vmlinuz-'))
    .sort()
    .at(-1);
  const initrd = boot
    .filter((f) => f.startsWith('initrd.img-'))
    .sort()
    .at(-1);
  if (!kernel || !initrd) throw new Error(`no kernel or initrd in ${rootfs}/boot: ${boot.join(' ')}`);
  await copyFile(`${rootfs}/boot/${kernel}`, files.kernel);
  await copyFile(`${rootfs}/boot/${initrd}`, files.initrd);

  say(`  ext4 image (${DISK_GIB} GiB, sparse) from the folder, then qcow2`);
  const raw = `${work}/disk.raw`;
  await run`truncate -s ${DISK_GIB}G ${raw}`;
  await run`mkfs.ext4 -q -F -L ${ROOT_LABEL} -d ${rootfs} ${raw}`;
  await run`qemu-img convert -O qcow2 ${raw} ${files.image}`;

  say('  packaging the .box (metadata.json, Vagrantfile, box.img)');
  await writeFile(`${work}/metadata.json`, boxMetadata());
  await writeFile(`${work}/Vagrantfile`, boxVagrantfile(files));
  await copyFile(files.image, `${work}/box.img`);
  await run`tar -C ${work} -cf ${files.box} metadata.json Vagrantfile box.img`;
  await removeWork(work);
  await writeFile(files.stamp, `${recipeStamp(await readFile(CONFIGURE, 'utf8'), files)}\n`);
}

/**
 * The VMs use this machine's apt sources and settings (a mirror, an old snapshot's Valid-Until),
 * and only those: debootstrap's own one-line sources.list goes, or apt would warn that every
 * source "is configured multiple times" (sources.list and sources.list.d/debian.sources).
 */
async function copyAptSources(rootfs: string): Promise<void> {
  await rm(`${rootfs}/etc/apt/sources.list`, { force: true });
  for (const dir of ['/etc/apt/sources.list.d']) {
    for (const file of await readdir(dir).catch(() => [] as string[])) {
      if (/\.(sources|list)$/.test(file)) await copyFile(`${dir}/${file}`, `${rootfs}${dir}/${file}`);
    }
  }
  const list = await readFile('/etc/apt/sources.list', 'utf8').catch(() => undefined);
  if (list !== undefined) await writeFile(`${rootfs}/etc/apt/sources.list`, list);
  const settings: string[] = [];
  for (const file of await readdir('/etc/apt/apt.conf.d').catch(() => [] as string[])) {
    const text = await readFile(`/etc/apt/apt.conf.d/${file}`, 'utf8').catch(() => '');
    settings.push(...text.split('\n').filter((l) => /^Acquire::(Check-Valid-Until|Check-Date)/.test(l)));
  }
  if (settings.length) await writeFile(`${rootfs}/etc/apt/apt.conf.d/99from-builder`, `${settings.join('\n')}\n`);
}

/** A failed debootstrap can leave proc and sysfs mounted in the folder: unmount before removing anything. */
async function removeWork(work: string): Promise<void> {
  const mounts = (await readFile('/proc/self/mountinfo', 'utf8'))
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point): point is string => Boolean(point) && (point === work || point.startsWith(`${work}/`)))
    .sort((a, b) => b.length - a.length);
  for (const point of mounts) await $({ quiet: true })`umount -l ${point}`;
  await rm(work, { recursive: true, force: true });
}
