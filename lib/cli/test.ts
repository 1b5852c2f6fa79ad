import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { LocalHost } from '../host/local-host.ts';
import { anyLabHostNetns, LAB_PACKAGES } from '../lab/lab.ts';
import { ensureLabNetns, inLabNetns, removeLabNetns } from '../lab/lab-netns.ts';
import { BOX_ONLY_PACKAGES, ensurePackages, installScript, missingPackages, TEST_PACKAGES } from '../packages.ts';
import { ROOT } from '../paths.ts';
import { LAB_SUITE_STATE_DIR } from '../state.ts';

/**
 * `npm test`: every suite. As root on Debian it first installs what the suites need and this
 * machine lacks (one line says what), as `npm run chapter all` installs the chapters' packages.
 * The lab suite needs root; without it the run says so loudly, and under CI (CI=true) a skipped
 * suite is a failure, never a silent pass.
 */
const scripts = (JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;
const inCi = Boolean(process.env.CI);
const isRoot = process.getuid?.() === 0;
const results: { suite: string; outcome: 'passed' | 'failed' | 'SKIPPED' }[] = [];
const banner = (line: string) => console.log(`\n${'!'.repeat(72)}\n!! ${line}\n${'!'.repeat(72)}`);

interface Suite {
  name: string;
  script: string;
  /** After `--`, to the script (mocha's options). */
  args?: string[];
  /** The argv that runs npm, e.g. inside a network namespace. */
  prefix?: string[];
  skipReason?: string;
  env?: NodeJS.ProcessEnv;
  /** Variables of this environment that must not reach the suite. */
  unset?: string[];
}

/** Runs one suite: its output streamed, or kept and returned when `capture` (to print later, whole). */
function runSuite(
  { name, script, args = [], prefix = [], skipReason, env = {}, unset = [] }: Suite,
  capture = false,
): Promise<string> {
  if (!scripts[script]) return Promise.resolve('');
  if (skipReason) {
    banner(`${name} SKIPPED: ${skipReason}`);
    results.push({ suite: name, outcome: 'SKIPPED' });
    return Promise.resolve('');
  }
  const header = `\n=== ${name}: npm run ${script}\n`;
  if (!capture) process.stdout.write(header);
  const [command, ...rest] = [...prefix, 'npm', 'run', '--silent', script, ...(args.length ? ['--', ...args] : [])];
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const key of unset) delete childEnv[key];
  const child = spawn(command, rest, {
    cwd: ROOT,
    stdio: ['ignore', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'],
    env: childEnv,
  });
  let output = capture ? header : '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve) => {
    child.on('error', (error) => {
      results.push({ suite: name, outcome: 'failed' });
      resolve(`${output}\n${name}: could not start \`${[command, ...rest].join(' ')}\`: ${error.message}\n`);
    });
    child.on('close', (status) => {
      results.push({ suite: name, outcome: status === 0 ? 'passed' : 'failed' });
      resolve(output);
    });
  });
}

const machine = new LocalHost();
const shell = (cmd: string, opts?: { stream?: boolean }) => machine.run(cmd, opts);
const onDebian = existsSync('/usr/bin/apt-get') && existsSync('/usr/bin/dpkg-query');
let missing = onDebian
  ? await missingPackages(
      shell,
      TEST_PACKAGES.map((p) => p.name),
    )
  : [];
if (missing.length && isRoot) {
  console.log(`npm test: installing what the suites need and this machine lacks: ${missing.join(' ')} (apt-get)`);
  const install = await shell(installScript(missing, { recommends: false }), { stream: true }).catch((e: Error) => e);
  if (install instanceof Error) console.log(`npm test: the install failed: ${install.message.split('\n')[0]}`);
  missing = await missingPackages(shell, missing);
} else if (missing.length) {
  banner(
    `missing ${missing.join(' ')}: run \`sudo npm test\` (installs them), or \`sudo apt-get install --no-install-recommends ${missing.join(' ')}\``,
  );
}
const lacking = (...names: string[]) => names.filter((n) => missing.includes(n));

const notRoot = isRoot ? undefined : 'the lab needs root (namespaces, a bridge, mounts): run `sudo npm test`';
const noBrowser =
  existsSync('/usr/bin/chromium') && lacking('fonts-dejavu-core').length === 0
    ? undefined
    : `Debian's chromium and fonts are not installed (${isRoot ? 'the install failed' : 'run `sudo npm test`'})`;

// With vagrant, sshd and sudo present, the unit suite must use them: a test that would skip fails instead.
const unitEnv = lacking('vagrant').length === 0 && onDebian ? { WORKBOOK_REQUIRE_VAGRANT: '1' } : {};
const unit: Suite = { name: 'unit tests', script: 'test:unit', env: unitEnv };
const site: Suite = {
  name: 'site in a real browser',
  script: 'test:site',
  skipReason: process.env.CHROMIUM_PATH ? undefined : noBrowser,
};
const lab: Suite = { name: 'lab integration (every chapter on real services)', script: 'test:lab', skipReason: notRoot };
// The box the Vagrantfile uses, booted on one emulated or KVM VM on 127.0.0.1 (no libvirt, no
// 192.168.56.0/24): a change that breaks the box, the ssh transport or the systemd services fails
// here. Its record goes to artifacts/, not bench/results/.
const vmBox: Suite = {
  name: 'the box on one VM (npm run test:vms -- --box-only)',
  script: 'test:vms',
  args: ['--box-only'],
  env: { WORKBOOK_VMS_RECORDS: `${ROOT}/artifacts/vms` },
  skipReason:
    notRoot ??
    (lacking(...BOX_ONLY_PACKAGES).length
      ? `${lacking(...BOX_ONLY_PACKAGES).join(' ')} ${isRoot ? 'could not be installed' : 'missing: run `sudo npm test`'}`
      : undefined),
};
let suites = [unit, site, lab, vmBox];
if (notRoot) {
  for (const s of suites) await runSuite(s);
} else {
  // The lab suite spends most of its time waiting on services. So the by-hand pass builds the
  // cluster a second time in a lab of its own, inside network namespace BY_HAND_NETNS (its own
  // 192.168.56.0/24, lib/paths.ts), while the rest of the suite runs on the machine's lab; and
  // the unit, site and box suites run beside both, one after another. Output other than the
  // lab's is kept and printed whole afterwards, so that nothing is interleaved.
  const BY_HAND_NETNS = 'wbbyhand';
  const BY_HAND_SPEC = 'test/lab/90-by-hand.test.ts';
  const byHandEnv = { WORKBOOK_LAB_NETNS: BY_HAND_NETNS };
  // The second lab's directory, lock and state derive from its namespace: an override meant for
  // the machine's lab must not make the two share them.
  const machineLabOnly = ['WORKBOOK_LAB_DIR', 'WORKBOOK_LAB_LOCK', 'WORKBOOK_STATE_DIR'];
  // The by-hand pass types `.workbook/lab/…` as the chapters say: the rest keeps its state apart.
  const rest: Suite = {
    ...lab,
    args: ['--exclude', BY_HAND_SPEC],
    env: { WORKBOOK_STATE_DIR: LAB_SUITE_STATE_DIR },
    unset: ['WORKBOOK_LAB_NETNS'],
  };
  const byHand: Suite = {
    name: `lab by hand (chapters typed into a second lab, network namespace ${BY_HAND_NETNS})`,
    script: 'test:lab:by-hand',
    prefix: inLabNetns(BY_HAND_NETNS),
    env: byHandEnv,
    unset: machineLabOnly,
  };
  const byHandDown: Suite = {
    name: 'by-hand lab teardown',
    script: 'lab',
    args: ['down'],
    prefix: byHand.prefix,
    env: byHandEnv,
    unset: machineLabOnly,
  };
  suites = [unit, site, vmBox, rest, byHand, byHandDown];
  console.log(
    `npm test: the by-hand pass runs in a second lab (network namespace ${BY_HAND_NETNS}), and the unit, site and box suites, beside the lab suite; their output follows the lab’s`,
  );
  // Both labs would install missing Debian packages at once, and the second cannot reach a mirror
  // from its namespace: the machine installs them first, before any lab host exists.
  if (onDebian && !(await anyLabHostNetns())) {
    const installed = await ensurePackages(shell, LAB_PACKAGES);
    if (installed.length) console.log(`npm test: installed the labs' packages: ${installed.join(' ')}`);
  }
  await ensureLabNetns(BY_HAND_NETNS);
  const typed = (async () => {
    const output = await runSuite(byHand, true);
    const down = await runSuite(byHandDown, true);
    const left = await removeLabNetns(BY_HAND_NETNS).catch((e: Error) => {
      results.push({ suite: byHandDown.name, outcome: 'failed' });
      return [`(could not remove network namespace ${BY_HAND_NETNS}: ${e.message})`];
    });
    return `${output}${down}${left.length ? `\nremoved what the teardown left: ${left.join(', ')}\n` : ''}`;
  })();
  const beside = (async () => (await runSuite(unit, true)) + (await runSuite(site, true)) + (await runSuite(vmBox, true)))();
  await runSuite(rest);
  process.stdout.write(await typed);
  process.stdout.write(await beside);
}

console.log('\nsummary');
const order = suites.map((s) => s.name);
results.sort((a, b) => order.indexOf(a.suite) - order.indexOf(b.suite));
for (const r of results) console.log(`  ${r.outcome.padEnd(8)} ${r.suite}`);
if (missing.length) console.log(`  (missing: ${missing.join(' ')}; the tests that need them were skipped, each saying so)`);
const failed = results.some((r) => r.outcome === 'failed' || (inCi && r.outcome === 'SKIPPED'));
if (inCi && results.some((r) => r.outcome === 'SKIPPED')) console.log('  (CI=true: a skipped suite fails the run)');
process.exitCode = failed ? 1 : 0;
