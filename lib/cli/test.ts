import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { ROOT } from '../paths.ts';

/**
 * `npm test`: every suite. The lab suite needs root; without it the run says so loudly, and
 * under CI (CI=true) a skipped suite is a failure, never a silent pass.
 */
const scripts = (JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;
const inCi = Boolean(process.env.CI);
const results: { suite: string; outcome: 'passed' | 'failed' | 'SKIPPED' }[] = [];

function suite(name: string, script: string, skipReason?: string): void {
  if (!scripts[script]) return;
  if (skipReason) {
    console.log(`\n${'!'.repeat(72)}\n!! ${name} SKIPPED: ${skipReason}\n${'!'.repeat(72)}`);
    results.push({ suite: name, outcome: 'SKIPPED' });
    return;
  }
  console.log(`\n=== ${name}: npm run ${script}`);
  const { status } = spawnSync('npm', ['run', '--silent', script], { cwd: ROOT, stdio: 'inherit' });
  results.push({ suite: name, outcome: status === 0 ? 'passed' : 'failed' });
}

const notRoot = process.getuid?.() !== 0 ? 'the lab needs root (namespaces, a bridge, mounts): run `sudo npm test`' : undefined;
const noChromium = existsSync('/usr/bin/chromium') ? undefined : 'Debian chromium is not installed (apt-get install chromium)';

suite('unit tests', 'test:unit');
suite('site in a real browser', 'test:site', noChromium);
suite('lab integration (every chapter on real services)', 'test:lab', notRoot);

console.log('\nsummary');
for (const r of results) console.log(`  ${r.outcome.padEnd(8)} ${r.suite}`);
const failed = results.some((r) => r.outcome === 'failed' || (inCi && r.outcome === 'SKIPPED'));
if (inCi && results.some((r) => r.outcome === 'SKIPPED')) console.log('  (CI=true: a skipped suite fails the run)');
process.exitCode = failed ? 1 : 0;
