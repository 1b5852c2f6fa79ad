import { access, constants, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { $ } from 'zx';
import { sleep } from '../clients/wait.ts';
import { shellQuote } from '../host/shell.ts';
import { niceAutogroups } from './autogroup.ts';
import { type BoxFiles, KERNEL_CMDLINE } from './box-recipe.ts';

/**
 * One VM from the box, started with QEMU alone (no libvirt, no vagrant), for the box's own
 * test: user-mode networking with `restrict=on` (the guest reaches nothing at all) and one
 * forwarded port, ssh on 127.0.0.1. Loopback only. Stopped by its pid file.
 */
export interface QemuVm {
  port: number;
  accel: Accel;
  dir: string;
  console: string;
  stop(): Promise<void>;
}

export type Accel = 'kvm' | 'tcg';

/**
 * KVM when it can run a stock kernel. /dev/kvm backed by kvm_pvm (a nested, paravirtual
 * hypervisor) cannot: a stock Debian kernel crawls through early boot and then stops with
 * "KVM internal error. Suberror: 1 (emulation failure)". QEMU's emulator (TCG) boots it.
 */
export async function chooseAccel(env: NodeJS.ProcessEnv = process.env): Promise<{ accel: Accel; why: string }> {
  if (env.WORKBOOK_QEMU_ACCEL === 'kvm' || env.WORKBOOK_QEMU_ACCEL === 'tcg')
    return { accel: env.WORKBOOK_QEMU_ACCEL, why: 'WORKBOOK_QEMU_ACCEL' };
  const usable = await access('/dev/kvm', constants.R_OK | constants.W_OK).then(
    () => true,
    () => false,
  );
  if (!usable) return { accel: 'tcg', why: 'no usable /dev/kvm' };
  const pvm = await access('/sys/module/kvm_pvm').then(
    () => true,
    () => false,
  );
  if (pvm) return { accel: 'tcg', why: '/dev/kvm is kvm_pvm, which cannot run a stock kernel' };
  return { accel: 'kvm', why: '/dev/kvm' };
}

export async function bootBox(files: BoxFiles, port: number, accel: Accel): Promise<QemuVm> {
  const dir = await mkdtemp(`${tmpdir()}/wb-qemu-`);
  const overlay = `${dir}/disk.qcow2`;
  const pidFile = `${dir}/qemu.pid`;
  const consoleLog = `${dir}/console.log`;
  const q = $({ quiet: true });
  await q`qemu-img create -q -f qcow2 -b ${files.image} -F qcow2 ${overlay}`;
  const cpu = accel === 'kvm' ? ['-accel', 'kvm', '-cpu', 'qemu64', '-smp', '1'] : ['-accel', 'tcg,thread=multi', '-smp', '2'];
  const argv = [
    ...cpu,
    '-m',
    '768',
    '-display',
    'none',
    '-nodefaults',
    '-serial',
    `file:${consoleLog}`,
    '-kernel',
    files.kernel,
    '-initrd',
    files.initrd,
    '-append',
    KERNEL_CMDLINE,
    '-drive',
    `file=${overlay},if=virtio,format=qcow2`,
    '-netdev',
    `user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:${port}-:22`,
    '-device',
    'virtio-net-pci,netdev=n0',
    '-pidfile',
    pidFile,
    '-daemonize',
  ];
  // Niced, its session too (-daemonize starts one): see lib/vms/autogroup.ts.
  await q`nice -n 15 qemu-system-x86_64 ${argv}`;
  const qemuPid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  if (qemuPid > 0) await niceAutogroups([qemuPid]);
  const stop = async () => {
    const pid = (await readFile(pidFile, 'utf8').catch(() => '')).trim();
    if (/^\d+$/.test(pid)) {
      await $({ quiet: true, nothrow: true })`kill -TERM ${pid}`;
      const deadline = Date.now() + 10000;
      while (Date.now() < deadline && (await $({ quiet: true, nothrow: true })`kill -0 ${pid}`).exitCode === 0) {
        await sleep(200);
      }
      await $({ quiet: true, nothrow: true })`kill -KILL ${pid}`;
    }
    await rm(dir, { recursive: true, force: true });
  };
  return { port, accel, dir, console: consoleLog, stop };
}

/** Vagrant's insecure private key, copied with the mode ssh insists on. */
export async function insecurePrivateKey(into: string): Promise<string> {
  const key = `${into}/vagrant_insecure_key`;
  const found = await $({
    quiet: true,
    nothrow: true,
  })`sh -c ${`for f in /usr/share/rubygems-integration/all/gems/vagrant-*/keys/vagrant /opt/vagrant/embedded/gems/gems/vagrant-*/keys/vagrant "$HOME/.vagrant.d/insecure_private_key"; do [ -f "$f" ] && { install -m 0600 "$f" ${shellQuote(key)}; exit 0; }; done; exit 1`}`;
  if (found.exitCode !== 0) throw new Error("cannot find Vagrant's insecure private key (keys/vagrant in the vagrant gem)");
  return key;
}
