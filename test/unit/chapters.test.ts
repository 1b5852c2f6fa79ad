import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { driftedIncludes, fence, includeSpecs } from '../../lib/chapters/includes.ts';
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

  it('fences code that itself contains backticks with a longer fence', () => {
    assert.equal(fence('md', 'a ```b``` c\n'), '````md\na ```b``` c\n````');
  });
});
