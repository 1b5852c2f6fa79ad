import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { LocalHost } from '../host/local-host.ts';
import { installScript, missingPackages, TEST_PACKAGES } from '../packages.ts';
import { ROOT } from '../paths.ts';

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
  skipReason?: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs one suite: its output streamed, or kept and returned when `capture` (to print later, whole). */
function runSuite({ name, script, skipReason, env = {} }: Suite, capture = false): Promise<string> {
  if (!scripts[script]) return Promise.resolve('');
  if (skipReason) {
    banner(`${name} SKIPPED: ${skipReason}`);
    results.push({ suite: name, outcome: 'SKIPPED' });
    return Promise.resolve('');
  }
  const header = `\n=== ${name}: npm run ${script}\n`;
  if (!capture) process.stdout.write(header);
  const child = spawn('npm', ['run', '--silent', script], {
    cwd: ROOT,
    stdio: ['ignore', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'],
    env: { ...process.env, ...env },
  });
  let output = capture ? header : '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve) => {
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
if (notRoot) {
  for (const s of [unit, site, lab]) await runSuite(s);
} else {
  // The lab suite spends most of its half hour waiting on services, so the unit and site suites
  // run beside it (5 minutes less on 2 cores). Their output is kept and printed whole after the
  // lab's, so that neither is interleaved with the other.
  console.log('npm test: the unit and site suites run beside the lab suite; their output follows the lab’s');
  const beside = (async () => (await runSuite(unit, true)) + (await runSuite(site, true)))();
  await runSuite(lab);
  process.stdout.write(await beside);
}

console.log('\nsummary');
const order = [unit, site, lab].map((s) => s.name);
results.sort((a, b) => order.indexOf(a.suite) - order.indexOf(b.suite));
for (const r of results) console.log(`  ${r.outcome.padEnd(8)} ${r.suite}`);
if (missing.length) console.log(`  (missing: ${missing.join(' ')}; the tests that need them were skipped, each saying so)`);
const failed = results.some((r) => r.outcome === 'failed' || (inCi && r.outcome === 'SKIPPED'));
if (inCi && results.some((r) => r.outcome === 'SKIPPED')) console.log('  (CI=true: a skipped suite fails the run)');
process.exitCode = failed ? 1 : 0;
