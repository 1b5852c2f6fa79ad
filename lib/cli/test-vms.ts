import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { $ } from 'zx';
import { ensureSafetyRoute } from '../lab/safety.ts';
import { ROOT } from '../paths.ts';
import { holdRunLock } from '../run-lock.ts';
import { startAptProxy } from '../vms/apt-proxy.ts';
import { boxIsCurrent, buildBox, debianMirror } from '../vms/box-build.ts';
import { BOX_NAME, boxFiles } from '../vms/box-recipe.ts';
import {
  CLUSTER,
  clusterNetworkXml,
  ensureLibvirtd,
  ensureNetwork,
  MGMT,
  managementNetworkXml,
  removeNetwork,
  stopLibvirtd,
} from '../vms/libvirt.ts';
import { Phases } from '../vms/phases.ts';
import { chooseAccel } from '../vms/qemu-vm.ts';
import { main, UsageError } from './errors.ts';

/**
 * `npm run test:vms`: the vagrant target on five real VMs, from nothing (KVM where /dev/kvm can
 * run a stock kernel, QEMU's emulation otherwise: see lib/vms/qemu-vm.ts). Builds (or reuses)
 * a bookworm libvirt box made here from Debian's packages, starts libvirtd, brings the VMs up
 * with `vagrant up`, runs `npm run chapter all -- --target vagrant`, and prints how long each
 * phase took. The VMs' networks are isolated; their only way out is an apt proxy that talks to
 * Debian's mirror and nothing else.
 *
 *   npm run test:vms [-- --keep] [--rebuild-box] [--box-only]
 *
 * --box-only: only build the box and test it on one VM started with QEMU alone, reached on
 * 127.0.0.1 (no libvirt, no 192.168.56.0/24: it runs while the lab is up).
 */
const USAGE = 'usage: npm run test:vms [-- --keep] [--rebuild-box] [--box-only]';
const FLAGS = ['--keep', '--rebuild-box', '--box-only'];
const APT_PROXY_PORT = 3142;
const PACKAGES = [
  'vagrant',
  'vagrant-libvirt',
  'libvirt-daemon-system',
  'qemu-system-x86',
  'qemu-utils',
  'debootstrap',
  'dnsmasq-base',
  'e2fsprogs',
];
const BOX_ONLY_PACKAGES = ['vagrant', 'qemu-system-x86', 'qemu-utils', 'debootstrap', 'e2fsprogs', 'openssh-client'];
const say = (line: string) => console.log(line);

await main(async () => {
  const args = process.argv.slice(2);
  for (const a of args) if (!FLAGS.includes(a)) throw new UsageError(USAGE);
  const keep = args.includes('--keep');
  const boxOnly = args.includes('--box-only');
  // One run at a time on the VMs: a second test:vms (or a chapter --target vagrant) waits.
  await holdRunLock('vagrant');
  const phases = new Phases(say);
  const { accel, why } = await chooseAccel();
  const env = {
    ...process.env,
    VAGRANT_DEFAULT_PROVIDER: 'libvirt',
    VAGRANT_CHECKPOINT_DISABLE: '1',
    WORKBOOK_BOX: BOX_NAME,
    // `-cpu host` aborts on this kind of machine; QEMU's default model works.
    WORKBOOK_LIBVIRT_CPU_MODE: process.env.WORKBOOK_LIBVIRT_CPU_MODE ?? 'custom',
    WORKBOOK_LIBVIRT_CPU_MODEL: process.env.WORKBOOK_LIBVIRT_CPU_MODEL ?? 'qemu64',
    WORKBOOK_APT_PROXY: `http://${MGMT.host}:${APT_PROXY_PORT}`,
    // kvm_pvm's /dev/kvm cannot run a stock kernel: libvirt then emulates (domain type qemu).
    WORKBOOK_LIBVIRT_DRIVER: process.env.WORKBOOK_LIBVIRT_DRIVER ?? (accel === 'kvm' ? 'kvm' : 'qemu'),
  };
  say(`VMs run with ${accel === 'kvm' ? 'KVM' : 'QEMU emulation (TCG)'}: ${why}`);
  let startedLibvirtd = false;
  let proxy: Awaited<ReturnType<typeof startAptProxy>> | undefined;
  let passed = false;
  try {
    await phases.run('preflight', () => preflight(boxOnly));
    await phases.run(
      'box (debootstrap, image, vagrant box add)',
      async () => {
        const files = boxFiles();
        const rebuilt = args.includes('--rebuild-box') || !(await boxIsCurrent(files));
        if (rebuilt) await buildBox(say, files);
        else say(`  the cached box in ${files.dir} is current`);
        const listed = (await $({ quiet: true })`vagrant box list`).stdout.includes(BOX_NAME);
        if (rebuilt || !listed) await $({ quiet: true, env })`vagrant box add --force --name ${BOX_NAME} ${files.box}`;
        return rebuilt;
      },
      (rebuilt) => (rebuilt ? 'built' : 'cached'),
    );
    await phases.run(`box on one VM (QEMU, ${accel}, 127.0.0.1 only): ssh, sudo, systemd`, () =>
      inherit('npx', ['mocha', '--config', 'test/vms/.mocharc.json'], env),
    );
    if (boxOnly) {
      passed = true;
      return 0;
    }
    await phases.run('libvirtd, networks, apt proxy', async () => {
      await ensureSafetyRoute();
      startedLibvirtd = await ensureLibvirtd();
      await ensureNetwork(MGMT.name, managementNetworkXml());
      await ensureNetwork(CLUSTER.name, clusterNetworkXml());
      const mirror = new URL(await debianMirror()).hostname;
      proxy = await startAptProxy(MGMT.host, APT_PROXY_PORT, [mirror, 'deb.debian.org', 'security.debian.org']);
      say(`  apt proxy ${proxy.url} (to ${mirror} only)`);
    });
    await phases.run('boot: vagrant up (5 VMs)', () => inherit('vagrant', ['up'], env));
    await phases.run('chapters: npm run chapter all -- --target vagrant', () =>
      inherit('npm', ['run', 'chapter', 'all', '--', '--target', 'vagrant'], env),
    );
    passed = true;
  } finally {
    if (boxOnly) {
      say(`\n${phases.table()}`);
    } else if (!keep) {
      await phases
        .run('teardown: vagrant destroy', async () => {
          await inherit('vagrant', ['destroy', '-f'], env).catch((e: Error) => say(`  ${e.message}`));
          await removeNetwork(CLUSTER.name);
          await removeNetwork(MGMT.name);
          if (startedLibvirtd) await stopLibvirtd();
        })
        .catch(() => undefined);
    } else {
      say('\n--keep: the VMs stay up (`vagrant destroy -f` removes them); the apt proxy ends with this process');
    }
    if (!boxOnly) {
      await proxy?.close();
      if (proxy) {
        say(
          `apt proxy: ${proxy.stats.requests} requests, ${(proxy.stats.bytes / 1e6).toFixed(1)} MB, ${proxy.stats.refused} refused`,
        );
      }
      say(`\n${phases.table()}`);
    }
  }
  return passed ? 0 : 1;
});

async function preflight(boxOnly: boolean): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('npm run test:vms needs root (debootstrap, libvirtd, networks): run it as root');
  const kvm = await access('/dev/kvm', constants.R_OK | constants.W_OK).then(
    () => true,
    () => false,
  );
  if (!kvm) say('  /dev/kvm is missing or not usable: the VMs will be emulated (slow)');
  const missing: string[] = [];
  const statusFormat = '$' + '{Status}';
  for (const p of boxOnly ? BOX_ONLY_PACKAGES : PACKAGES) {
    const status = await $({ quiet: true, nothrow: true })`dpkg-query -W -f=${statusFormat} ${p}`;
    if (!status.stdout.includes('install ok installed')) missing.push(p);
  }
  if (missing.length) {
    say(`  installing ${missing.join(' ')} (Debian's packages)`);
    await $({
      quiet: true,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    })`apt-get install -y -q --no-install-recommends ${missing}`;
  }
  if (boxOnly) return;
  // The lab and the VMs both use 192.168.56.1: only one of them at a time.
  const addresses = (await $({ quiet: true })`ip -o -4 addr show`).stdout
    .split('\n')
    .filter((l) => /\sinet 192\.168\.56\./.test(l) && !l.includes(` ${CLUSTER.bridge} `));
  if (addresses.length) {
    const dev = addresses[0].split(/\s+/)[1];
    throw new Error(
      `192.168.56.0/24 is already in use on this machine (${dev}${dev === 'wbbr0' ? ', the lab' : ''}): ` +
        'take the lab down first (`npm run lab -- down`); the VMs need that subnet for themselves',
    );
  }
  const memory =
    Number(/MemAvailable:\s+(\d+)/.exec(await $({ quiet: true })`cat /proc/meminfo`.then((r) => r.stdout))?.[1] ?? 0) / 1024;
  if (memory < 4500)
    throw new Error(`only ${memory.toFixed(0)} MiB of memory available: five VMs need about 3.3 GiB plus the host`);
  say(`  KVM, packages, the subnet and ${(memory / 1024).toFixed(1)} GiB of free memory: ready`);
}

/** Runs a command with the terminal as its output; throws when it fails. */
function inherit(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`\`${command} ${args.join(' ')}\` exited with ${code}`)),
    );
  });
}
