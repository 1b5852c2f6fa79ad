import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { parseSessions } from '../../lib/byhand/parse.ts';
import {
  driftedIncludes,
  fence,
  includeProblems,
  includeSpecs,
  renderInclude,
  syncIncludes,
} from '../../lib/chapters/includes.ts';
import { CHAPTERS, chapterBase, checkPath, markdownPath, stepPath } from '../../lib/chapters/registry.ts';

const SECTIONS = [
  'By hand',
  'The step',
  'The check',
  'What you should see',
  'Differences from the original guide',
  'Troubleshooting',
];

describe('chapters', () => {
  for (const chapter of CHAPTERS) {
    describe(`${chapterBase(chapter)}`, () => {
      it('has its markdown, step and check', () => {
        for (const path of [markdownPath(chapter), stepPath(chapter), checkPath(chapter)]) {
          assert.ok(existsSync(path), `${path} is missing`);
        }
      });

      it(`starts with "# ${chapter.number}. ${chapter.title}" and has every section`, () => {
        const text = readFileSync(markdownPath(chapter), 'utf8');
        assert.equal(text.split('\n')[0], `# ${chapter.number}. ${chapter.title}`);
        for (const section of SECTIONS) assert.match(text, new RegExp(`^## ${section}$`, 'm'), `no "## ${section}"`);
      });

      it('shows its own step and check, copied verbatim (no drift)', async () => {
        const text = readFileSync(markdownPath(chapter), 'utf8');
        const specs = includeSpecs(text);
        assert.ok(specs.includes(`steps/${chapterBase(chapter)}.ts`), 'the step is not included');
        assert.ok(specs.includes(`checks/${chapterBase(chapter)}.check.ts`), 'the check is not included');
        assert.deepEqual(await driftedIncludes(text), [], 'run `npm run sync-chapters`');
      });
    });
  }

  it('detects a drifted copy', async () => {
    const stale = '<!-- include: steps/01-machines.ts -->\n```ts\nold\n```\n<!-- /include -->';
    assert.deepEqual(await driftedIncludes(stale), ['steps/01-machines.ts']);
  });

  it('one drift check for the site too: rendered configurations and typed forms drift, a missing file is named', async () => {
    const config = '<!-- include: config:patroni node1 -->\n```yaml\nold\n```\n<!-- /include -->';
    const typed =
      '<!-- include: config:etcd as etcdnode$ sudo tee /etc/default/etcd >/dev/null -->\n```sh\nold\n```\n<!-- /include -->';
    const missing = '<!-- include: steps/no-such-step.ts -->\n```ts\nold\n```\n<!-- /include -->';
    assert.deepEqual(await includeProblems(`${config}\n\n${typed}\n\n${missing}`), [
      'the copy of config:patroni node1 is out of date: run npm run sync-chapters',
      'the copy of config:etcd as etcdnode$ sudo tee /etc/default/etcd >/dev/null is out of date: run npm run sync-chapters',
      'include "steps/no-such-step.ts": no such file in the repository',
    ]);
    assert.deepEqual(await includeProblems(await syncIncludes(config)), []);
  });

  it('renders a file as the command that types it: a here-document into sudo tee on the named host', async () => {
    const { lang, body } = await renderInclude(
      'config:patroni-unit as node2$ sudo tee /etc/systemd/system/patroni.service >/dev/null',
    );
    assert.equal(lang, 'sh');
    const lines = body.split('\n');
    assert.equal(lines[0], "node2$ sudo tee /etc/systemd/system/patroni.service >/dev/null <<'EOF'");
    assert.equal(lines.at(-2), 'EOF');
    assert.equal(`${lines.slice(1, -2).join('\n')}\n`, (await renderInclude('config:patroni-unit')).body);
    const [block] = parseSessions(`## By hand\n${fence(lang, body)}\n`, 'x.md');
    assert.deepEqual(
      block.commands.map((c) => [c.host, c.sample]),
      [['node2', []]],
    );
  });

  it('fences code that itself contains backticks with a longer fence', () => {
    assert.equal(fence('md', 'a ```b``` c\n'), '````md\na ```b``` c\n````');
  });
});
