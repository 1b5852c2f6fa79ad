import { type ChildProcess, spawn } from 'node:child_process';
import { access, constants, mkdir, rm } from 'node:fs/promises';
import { $ } from 'zx';
import { sleep } from '../clients/wait.ts';
import { CORE_HOSTS, HOSTS } from '../ip-plan.ts';
import { ensureSafetyRoute, hasSafetyRoute } from '../lab/safety.ts';
import { BOX_ONLY_PACKAGES } from '../packages.ts';
import { ROOT } from '../paths.ts';
import { holdRunLock } from '../run-lock.ts';
import { TCG_TIME_SCALE, TIME_SCALE_VARIABLE, timeScale } from '../time-scale.ts';
import { type AptProxy, startAptProxy } from '../vms/apt-proxy.ts';
import { AUTOGROUP_NICE, autogroupEnabled, keepAutogroupsNiced } from '../vms/autogroup.ts';
import { boxIsCurrent, buildBox, debianMirror } from '../vms/box-build.ts';
import { BOX_NAME, boxFiles } from '../vms/box-recipe.ts';
import {
  CLUSTER,
  clusterNetworkXml,
  ensureLibvirtd,
  ensureNetwork,
  HIDE_KVM_WHY,
  MGMT,
  managementNetworkXml,
  RUN_DIR,
  removeNetwork,
  stopLibvirtd,
} from '../vms/libvirt.ts';
import {
  ensureNamespace,
  ensureSafetyRouteInside,
  inNamespace,
  isolationProblems,
  NETNS,
  namespacePids,
  networkState,
  removeNamespace,
} from '../vms/netns.ts';
import { chapterRuns, parseTestVmsArgs, ranges } from '../vms/options.ts';
import { ChapterTracker, Phases } from '../vms/phases.ts';
import { terminateTree } from '../vms/process-tree.ts';
import { chooseAccel } from '../vms/qemu-vm.ts';
import { gitCommit, machineInfo, saveRecord, type VmsRunRecord } from '../vms/results.ts';
import { main } from './errors.ts';

/**
 * `npm run test:vms`: the vagrant target on five real VMs, from nothing (KVM where /dev/kvm can
 * run a stock kernel, QEMU's emulation otherwise: see lib/vms/qemu-vm.ts). Builds (or reuses)
 * a bookworm libvirt box made here from Debian's packages, starts libvirtd, brings the VMs up
 * with `vagrant up`, runs `npm run chapter all -- --target vagrant`, and prints how long each
 * phase took; the record goes to bench/results/.
 *
 * Network: libvirtd, its networks, the VMs, vagrant and the chapters run in a network namespace
 * of their own (wbvms, lib/vms/netns.ts) with no route out; the root namespace (where the lab
 * may be up on 192.168.56.0/24) never sees the VMs' subnet. The VMs' only way out is an apt
 * proxy in the root namespace, on a Unix socket, that talks to Debian's mirror and nothing else,
 * reached through a relay on the management network's host address.
 *
 *   npm run test:vms [-- --keep] [--rebuild-box] [--box-only] [--from up|chapters|chapter:N|stopped-vm] [--by-hand[=N]] [--down]
 *
 * --box-only: only build the box and test it on one VM started with QEMU alone, reached on
 * 127.0.0.1 (no libvirt, no 192.168.56.0/24: it runs while the lab is up).
 * --keep: leave the VMs, libvirtd and the namespace up (for --from).
 * --down: only the teardown of a kept run (vagrant destroy, networks, libvirtd, namespace).
 * --from: resume a kept run: `up` skips the box phases, `chapters` also `vagrant up`,
 * `chapter:N` runs chapters N to the last, one at a time; `stopped-vm` only the last check
 * (a halted VM gets a message that names it and `vagrant up`).
 * --by-hand[=N]: chapters from N on (all of them without N) are typed by hand, as the attendee
 * types them (`npm run chapter K -- --by-hand`); the ones before run by their steps. All one at a
 * time; with `--from chapter:M`, from M. The record says which chapters were typed.
 */
const APT_PROXY_PORT = 3142;
const APT_PROXY_SOCKET = `${RUN_DIR}/apt-proxy.sock`;
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
const say = (line: string) => console.log(line);
/** vagrant's `ESC[K Progress: N%`, with the escape built from its code (no control character in a regex literal). */
const PROGRESS = new RegExp(`(?:${String.fromCharCode(27)}\\[K)?Progress: \\d+%`, 'g');
const EXTRA_HOSTS = HOSTS.filter((h) => !CORE_HOSTS.includes(h)).map((h) => h.name);

/** The commands under way: a SIGTERM or SIGINT stops them, so that the record is still written. */
const running = new Set<ChildProcess>();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    console.log(`\n${signal}: stopping the command under way; then the usual end (teardown unless --keep, the record)`);
    // The whole tree: npm's script runs on after npm alone is ended (lib/vms/process-tree.ts).
    for (const child of running) if (child.pid !== undefined) terminateTree(child.pid);
  });
}

await main(async () => {
  const options = parseTestVmsArgs(process.argv.slice(2));
  const { keep, boxOnly } = options;
  // One run at a time on the VMs: a second test:vms (or a chapter --target vagrant) waits.
  await holdRunLock('vagrant');
  const phases = new Phases(say);
  const { accel, why } = await chooseAccel();
  const scale = process.env[TIME_SCALE_VARIABLE] ? timeScale() : accel === 'kvm' ? 1 : TCG_TIME_SCALE;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    VAGRANT_DEFAULT_PROVIDER: 'libvirt',
    VAGRANT_CHECKPOINT_DISABLE: '1',
    WORKBOOK_BOX: BOX_NAME,
    [TIME_SCALE_VARIABLE]: String(scale),
    // `-cpu host` aborts on this kind of machine; QEMU's default model works.
    WORKBOOK_LIBVIRT_CPU_MODE: process.env.WORKBOOK_LIBVIRT_CPU_MODE ?? 'custom',
    WORKBOOK_LIBVIRT_CPU_MODEL: process.env.WORKBOOK_LIBVIRT_CPU_MODEL ?? 'qemu64',
    WORKBOOK_APT_PROXY: `http://${MGMT.host}:${APT_PROXY_PORT}`,
    // kvm_pvm's /dev/kvm cannot run a stock kernel: libvirt then emulates (domain type qemu).
    WORKBOOK_LIBVIRT_DRIVER: process.env.WORKBOOK_LIBVIRT_DRIVER ?? (accel === 'kvm' ? 'kvm' : 'qemu'),
  };
  say(`VMs run with ${accel === 'kvm' ? 'KVM' : 'QEMU emulation (TCG)'}: ${why}; timeouts × ${scale} (${TIME_SCALE_VARIABLE})`);
  const record: VmsRunRecord = {
    date: new Date().toISOString(),
    command: `npm run test:vms${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    passed: false,
    furthest: '',
    accelerator: accel === 'kvm' ? 'kvm' : 'tcg',
    acceleratorWhy: why,
    timeScale: scale,
    machine: await machineInfo(),
    commit: await gitCommit(),
    phases: phases.done,
    notes: [],
  };
  if (options.byHandFrom !== undefined) {
    const { CHAPTERS } = await import('../chapters/registry.ts');
    const runs = chapterRuns(
      CHAPTERS.map((c) => c.number),
      options.fromChapter,
      options.byHandFrom,
    );
    record.typedByHand = ranges(runs.filter((r) => r.byHand).map((r) => r.number));
  }
  let proxy: AptProxy | undefined;
  let relay: ChildProcess | undefined;
  let passed = false;
  // Behind the lab: nice for our own processes, and the autogroups of the namespace's sessions.
  const stopNicing = keepAutogroupsNiced(namespacePids);
  if (await autogroupEnabled()) say(`  sessions of the VMs' processes: autogroup nice ${AUTOGROUP_NICE} (lib/vms/autogroup.ts)`);
  try {
    if (options.down) {
      passed = true;
      return 0;
    }
    await phases.run('preflight', () => preflight(boxOnly));
    if (options.from === 'box') {
      await phases.run(
        'box (debootstrap, image, vagrant box add)',
        async () => {
          const files = boxFiles();
          const rebuilt = options.rebuildBox || !(await boxIsCurrent(files));
          if (rebuilt) await buildBox(say, files);
          else say(`  the cached box in ${files.dir} is current`);
          const listed = (await $({ quiet: true })`vagrant box list`).stdout.includes(BOX_NAME);
          if (rebuilt || !listed) await $({ quiet: true, env })`vagrant box add --force --name ${BOX_NAME} ${files.box}`;
          return rebuilt;
        },
        (rebuilt) => (rebuilt ? 'built' : 'cached'),
      );
      await phases.run(`box on one VM (QEMU, ${accel}, 127.0.0.1 only): ssh, sudo, systemd`, () =>
        inherit(['nice', '-n', '15', 'npx', 'mocha', '--config', 'test/vms/.mocharc.json'], env),
      );
    } else {
      phases.skip('box, and box on one VM', `--from ${options.from}`);
      if (!(await boxIsCurrent())) throw new Error('the box is not built or not current: run without --from');
    }
    if (boxOnly) {
      passed = true;
      return 0;
    }
    await phases.run(`libvirtd, networks, apt proxy (namespace ${NETNS})`, async () => {
      if (await ensureNamespace()) say(`  network namespace ${NETNS}: loopback only, no route out`);
      else say(`  network namespace ${NETNS} exists (a kept run)`);
      if (accel !== 'kvm') say(`  ${HIDE_KVM_WHY}`);
      if (await ensureLibvirtd({ hideKvm: accel !== 'kvm' })) say(`  libvirtd started in ${NETNS} (nice 15)`);
      // The networks first, then the safety route: libvirt refuses to start a network whose
      // subnet has a route, and checks only at net-start.
      await ensureNetwork(MGMT.name, managementNetworkXml());
      await ensureNetwork(CLUSTER.name, clusterNetworkXml());
      await ensureSafetyRouteInside();
      say(`  networks ${MGMT.name} (${MGMT.host}/24) and ${CLUSTER.name} (${CLUSTER.host}/24) up, then the safety route`);
      const mirror = new URL(await debianMirror()).hostname;
      await mkdir(RUN_DIR, { recursive: true });
      await rm(APT_PROXY_SOCKET, { force: true });
      proxy = await startAptProxy(APT_PROXY_SOCKET, 0, [mirror, 'deb.debian.org', 'security.debian.org']);
      relay = await startRelay();
      say(`  apt proxy on ${APT_PROXY_SOCKET} (to ${mirror} only), relayed from ${MGMT.host}:${APT_PROXY_PORT} in ${NETNS}`);
    });
    await phases.run('network check: isolation, and the safety route beside the cluster network', async () => {
      const problems = isolationProblems(await networkState(), { management: MGMT.bridge, cluster: CLUSTER.bridge });
      if (!(await hasSafetyRoute())) problems.push('the root namespace has no safety route');
      if (problems.length) throw new Error(`the VMs' network is not isolated:\n  - ${problems.join('\n  - ')}`);
      const route = await $({ quiet: true })`ip -n ${NETNS} route get 192.168.56.11`;
      say(`  inside ${NETNS}: ${route.stdout.trim().split('\n')[0]} (the guard's view); no default route`);
      say('  root namespace: `unreachable 192.168.56.0/24 metric 4000` still there, none of the VMs’ bridges');
    });
    if (options.from === 'box' || options.from === 'up') {
      await phases.run(
        `boot: vagrant up (${CORE_HOSTS.length} VMs, in parallel)`,
        () => inherit(inNamespace(['vagrant', 'up']), env),
        () => `boot_timeout ${Math.round(300 * scale)} s`,
      );
    } else phases.skip('boot: vagrant up', `--from ${options.from}`);
    if (options.from !== 'stopped-vm') await runChapters(phases, env, options.fromChapter, options.byHandFrom);
    else phases.skip('chapters', '--from stopped-vm');
    await phases.run('a stopped VM: the message names it and the fix', () => stoppedVmMessage(env));
    passed = true;
  } finally {
    if (!boxOnly) {
      if (!keep) {
        await phases
          .run('teardown: vagrant destroy, networks, libvirtd, namespace', async () => {
            await inherit(inNamespace(['vagrant', 'destroy', '-f']), env).catch((e: Error) => say(`  ${e.message}`));
            await stopRelay(relay);
            await removeNetwork(CLUSTER.name);
            await removeNetwork(MGMT.name);
            await stopLibvirtd();
            await removeNamespace(say);
          })
          .catch(() => undefined);
      } else {
        await stopRelay(relay);
        say(
          `\n--keep: the VMs, libvirtd and the namespace ${NETNS} stay up (resume with \`--from chapters\`; ` +
            'a run without --keep removes them); the apt proxy ends with this process',
        );
      }
      await proxy?.close();
      if (proxy) {
        record.aptProxy = {
          requests: proxy.stats.requests,
          megabytes: proxy.stats.bytes / 1e6,
          refused: proxy.stats.refused,
        };
        say(
          `apt proxy: ${proxy.stats.requests} requests, ${(proxy.stats.bytes / 1e6).toFixed(1)} MB, ${proxy.stats.refused} refused`,
        );
      }
    }
    say(`\n${phases.table()}`);
    record.passed = passed;
    record.furthest = passed ? 'the end' : (phases.done.findLast((p) => !p.ok)?.name ?? 'preflight');
    const saved = await saveRecord(record).catch((e: Error) => [`(not saved: ${e.message})`]);
    say(`record: ${saved.join(', ')}`);
    stopNicing();
  }
  return passed ? 0 : 1;
});

/**
 * `npm run chapter all -- --target vagrant` in the namespace, each chapter's time taken from its
 * summary; or, resuming (`--from chapter:N`) or typing by hand (`--by-hand=N`), the chapters one
 * at a time, those from N on with `--by-hand`.
 */
async function runChapters(
  phases: Phases,
  env: NodeJS.ProcessEnv,
  from: number | undefined,
  byHandFrom: number | undefined,
): Promise<void> {
  const tracker = new ChapterTracker();
  const feed = (text: string) => tracker.feed(text);
  try {
    if (from === undefined && byHandFrom === undefined) {
      await phases.run('chapters: npm run chapter all -- --target vagrant', () =>
        inherit(inNamespace(['npm', 'run', 'chapter', 'all', '--', '--target', 'vagrant']), env, feed),
      );
      return;
    }
    const { CHAPTERS } = await import('../chapters/registry.ts');
    const runs = chapterRuns(
      CHAPTERS.map((c) => c.number),
      from,
      byHandFrom,
    );
    const typed = runs.filter((r) => r.byHand).map((r) => r.number);
    const how = [from === undefined ? '' : `--from chapter:${from}`, byHandFrom === undefined ? '' : `--by-hand=${byHandFrom}`]
      .filter(Boolean)
      .join(' ');
    const byHand = typed.length ? `; typed by hand: ${ranges(typed)}` : '';
    await phases.run(`chapters ${runs[0]?.number}-${runs.at(-1)?.number}, one at a time (${how})${byHand}`, async () => {
      for (const r of runs)
        await inherit(
          inNamespace([
            'npm',
            'run',
            'chapter',
            String(r.number),
            '--',
            '--target',
            'vagrant',
            ...(r.byHand ? ['--by-hand'] : []),
          ]),
          env,
          feed,
        );
    });
  } finally {
    for (const c of tracker.rows())
      phases.part(
        `chapter ${c.number}${c.byHand ? ' (by hand)' : ''}: ${c.title}`,
        c.seconds,
        c.ok,
        c.unfinished ? 'stopped here' : undefined,
      );
  }
}

/**
 * A VM that is down: `vagrant halt` one, ask for a check, and expect the message to name the VM
 * and the command that brings it back. It stays down: the teardown follows (or `vagrant up
 * node2` after a --keep run).
 */
async function stoppedVmMessage(env: NodeJS.ProcessEnv): Promise<void> {
  const vm = 'node2';
  await inherit(inNamespace(['vagrant', 'halt', vm]), env);
  let output = '';
  const failed = await inherit(inNamespace(['npm', 'run', 'check', '2', '--', '--target', 'vagrant']), env, (text) => {
    output += text;
  }).then(
    () => false,
    () => true,
  );
  if (!failed) throw new Error(`\`npm run check 2\` passed with ${vm} halted`);
  if (!output.includes(`vagrant up ${vm}`) || !output.includes(`${vm} is `))
    throw new Error(`the message for a halted ${vm} does not name it and \`vagrant up ${vm}\`:\n${output.slice(-2000)}`);
  say(`  the message names ${vm} and \`vagrant up ${vm}\``);
}

async function startRelay(): Promise<ChildProcess> {
  const [command, ...args] = inNamespace([
    process.execPath,
    '--import',
    'tsx',
    'lib/vms/apt-relay.ts',
    MGMT.host,
    String(APT_PROXY_PORT),
    APT_PROXY_SOCKET,
  ]);
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let text = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      text += d;
      if (text.includes('apt relay:')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the apt relay exited (${code}) before listening`)));
  });
  return child;
}

async function stopRelay(relay: ChildProcess | undefined): Promise<void> {
  if (!relay || relay.exitCode !== null || relay.pid === undefined) return;
  const exited = new Promise((r) => relay.once('exit', r));
  // `ip netns exec` execs nice, which execs node: the pid is the relay's own.
  relay.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
  if (relay.exitCode === null) relay.kill('SIGKILL');
}

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
  // The VMs' networks live in their own namespace: the lab may be up in the root one. The
  // root namespace gets the lab's safety route if it has none yet (it is never removed).
  if (await ensureSafetyRoute()) say('  added the safety route `unreachable 192.168.56.0/24 metric 4000` (root namespace)');
  const memory =
    Number(/MemAvailable:\s+(\d+)/.exec(await $({ quiet: true })`cat /proc/meminfo`.then((r) => r.stdout))?.[1] ?? 0) / 1024;
  if (memory < 6500)
    throw new Error(`only ${memory.toFixed(0)} MiB of memory available: eight VMs need about 5 GiB plus the host`);
  say(`  packages, the safety route and ${(memory / 1024).toFixed(1)} GiB of free memory: ready (the lab may stay up)`);
  if (EXTRA_HOSTS.length) say(`  chapters 11-13 add ${EXTRA_HOSTS.join(', ')} with \`vagrant up\``);
}

/**
 * Runs a command with its output shown as it comes (and passed to `onText`); resolves to the
 * whole output, throws when it fails.
 */
function inherit(argv: readonly string[], env: NodeJS.ProcessEnv, onText?: (text: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const [command, ...args] = argv;
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.on('exit', () => running.delete(child));
    let output = '';
    const take = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
      // vagrant's box upload counts to 100% in place, thousands of times: not for a log.
      const text = chunk.toString('utf8').replace(PROGRESS, '');
      output += text;
      onText?.(text);
      stream.write(text);
    };
    child.stdout.on('data', take(process.stdout));
    child.stderr.on('data', take(process.stderr));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`\`${argv.join(' ')}\` exited with ${code}`))));
  });
}
