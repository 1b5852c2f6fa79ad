import { spawnSync } from 'node:child_process';
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

function suite(name: string, script: string, skipReason?: string, env: NodeJS.ProcessEnv = {}): void {
  if (!scripts[script]) return;
  if (skipReason) {
    banner(`${name} SKIPPED: ${skipReason}`);
    results.push({ suite: name, outcome: 'SKIPPED' });
    return;
  }
  console.log(`\n=== ${name}: npm run ${script}`);
  const { status } = spawnSync('npm', ['run', '--silent', script], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  results.push({ suite: name, outcome: status === 0 ? 'passed' : 'failed' });
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
suite('unit tests', 'test:unit', undefined, unitEnv);
suite('site in a real browser', 'test:site', process.env.CHROMIUM_PATH ? undefined : noBrowser);
suite('lab integration (every chapter on real services)', 'test:lab', notRoot);

console.log('\nsummary');
for (const r of results) console.log(`  ${r.outcome.padEnd(8)} ${r.suite}`);
if (missing.length) console.log(`  (missing: ${missing.join(' ')}; the tests that need them were skipped, each saying so)`);
const failed = results.some((r) => r.outcome === 'failed' || (inCi && r.outcome === 'SKIPPED'));
if (inCi && results.some((r) => r.outcome === 'SKIPPED')) console.log('  (CI=true: a skipped suite fails the run)');
process.exitCode = failed ? 1 : 0;
