import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { SCRIPTS_HELP } from '../../lib/cli/scripts-help.ts';
import { ROOT } from '../../lib/paths.ts';

const run = promisify(execFile);
const scripts = (): Record<string, string> =>
  (JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('npm run help', () => {
  it('has a one-line description for every script in package.json', () => {
    const missing = Object.keys(scripts()).filter((name) => !(name in SCRIPTS_HELP));
    assert.deepEqual(missing, [], `describe them in lib/cli/scripts-help.ts: ${missing.join(', ')}`);
  });

  it('describes no script that package.json does not have', () => {
    const stale = Object.keys(SCRIPTS_HELP).filter((name) => !(name in scripts()));
    assert.deepEqual(stale, [], `remove them from lib/cli/scripts-help.ts, or add them to package.json: ${stale.join(', ')}`);
  });

  it('keeps every description to one short line', () => {
    for (const [name, { does, args }] of Object.entries(SCRIPTS_HELP)) {
      assert.ok(does.trim() && !/\n/.test(does + (args ?? '')), `${name}: one line, not empty`);
      assert.ok(does.length <= 110, `${name}: ${does.length} characters, keep it under 110`);
    }
  });

  it('`npm run help` prints every script with its description, and exits 0', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', `${ROOT}/lib/cli/help.ts`], { cwd: ROOT });
    for (const name of Object.keys(scripts())) {
      const line = stdout.split('\n').find((l) => l.trimStart().startsWith(`npm run ${name} `) || l.trim() === `npm run ${name}`);
      assert.ok(line, `no line for ${name} in:\n${stdout}`);
      const does = SCRIPTS_HELP[name]?.does;
      assert.ok(does, `${name} has no description in lib/cli/scripts-help.ts`);
      assert.ok(line.includes(does), `the line for ${name} does not show its description: ${line}`);
    }
    assert.doesNotMatch(stdout, /Not described yet/);
  });

  it('is itself a script: `npm run help` runs lib/cli/help.ts', () => {
    assert.equal(scripts().help, 'tsx lib/cli/help.ts');
  });

  it("README's command table names every script of package.json, and no other", () => {
    const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
    const table = readme.slice(
      readme.indexOf('## Command reference'),
      readme.indexOf('\n## ', readme.indexOf('## Command reference') + 5),
    );
    const named = new Set([...table.matchAll(/`(?:npm run ([\w:-]+)|npm (test))\b/g)].map((m) => m[1] ?? m[2]));
    const missing = Object.keys(scripts()).filter((name) => !named.has(name));
    assert.deepEqual(missing, [], `add them to README.md's command reference: ${missing.join(', ')}`);
    const unknown = [...named].filter((name) => !(name in scripts()));
    assert.deepEqual(
      unknown,
      [],
      `README.md's command reference names scripts package.json does not have: ${unknown.join(', ')}`,
    );
  });
});
