import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { ROOT } from '../../lib/paths.ts';

/** The part of README.md under a `## heading`, up to the next one. */
function section(heading: string): string {
  const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
  const start = readme.indexOf(`\n## ${heading}\n`);
  assert.notEqual(start, -1, `README.md has no "## ${heading}"`);
  const end = readme.indexOf('\n## ', start + 4);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe('README.md', () => {
  it('its layout table names every folder of lib/', () => {
    const layout = section('Layout');
    const folders = readdirSync(`${ROOT}/lib`, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `lib/${e.name}/`);
    const missing = folders.filter((f) => !layout.includes(`\`${f}\``));
    assert.deepEqual(missing, [], `add a row for each to README.md's "## Layout" table: ${missing.join(', ')}`);
  });

  it('its layout table names every top-level folder of the repository (hidden ones aside)', () => {
    const layout = section('Layout');
    const folders = readdirSync(ROOT, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !['node_modules', 'artifacts'].includes(e.name))
      .map((e) => `${e.name}/`);
    const missing = folders.filter((f) => !layout.includes(`\`${f}\``));
    assert.deepEqual(missing, [], `add a row for each to README.md's "## Layout" table: ${missing.join(', ')}`);
  });

  it('no file cites a design document that is not in the repository', () => {
    const cites = ['DESIGN' + ' §', '/DESIGN' + '.md'];
    const grep = spawnSync('git', ['grep', '--untracked', '-n', '-F', ...cites.flatMap((c) => ['-e', c])], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(grep.stdout, '', `say the reason in the comment instead:\n${grep.stdout}`);
  });

  it('nor it nor CONTRIBUTING.md calls the steps zx scripts (they use the host interface)', () => {
    for (const file of ['README.md', 'CONTRIBUTING.md']) {
      assert.doesNotMatch(readFileSync(`${ROOT}/${file}`, 'utf8'), /zx step script/, file);
    }
  });
});
