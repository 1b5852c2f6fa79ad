import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chapter, markdownPath } from '../../lib/chapters/registry.ts';
import { sedLine } from '../../lib/exercise/cluster.ts';
import { hintLines } from '../../lib/exercise/hints.ts';
import { EXERCISES, exercise } from '../../lib/exercise/registry.ts';
import { elapsed } from '../../lib/exercise/state.ts';

/** The markdown of a chapter's section, from its h2 to the next. */
function section(text: string, heading: RegExp): string {
  const start = text.search(heading);
  if (start < 0) return '';
  const next = text.indexOf('\n## ', start + 1);
  return text.slice(start, next < 0 ? undefined : next);
}

/** Bold text as a reader sees it: without the backticks. */
const plain = (markdown: string) => markdown.replaceAll('`', '');

describe('fault exercises (no machines)', () => {
  it('are ten or more, at least one for each of chapters 5–13 and 15, with unique names', () => {
    assert.ok(EXERCISES.length >= 10);
    for (const n of [5, 6, 7, 8, 9, 10, 11, 12, 13, 15])
      assert.ok(
        EXERCISES.some((e) => e.chapter === n),
        `chapter ${n}`,
      );
    assert.equal(new Set(EXERCISES.map((e) => e.name)).size, EXERCISES.length);
  });

  for (const e of EXERCISES) {
    describe(e.name, () => {
      const text = readFileSync(markdownPath(chapter(e.chapter)), 'utf8');

      it('has an "Exercise:" section in its chapter that starts it by name', () => {
        const own = section(text, /^## Exercise: /m);
        assert.ok(own, `no "## Exercise: …" in chapter ${e.chapter}`);
        assert.match(own, new RegExp(`npm run exercise -- start ${e.name}\\b`));
      });

      it("ends its hints with an entry of the chapter's Troubleshooting that exists", () => {
        const last = e.hints.at(-1) ?? '';
        const m = /^chapter (\d+), Troubleshooting: “(.+)”$/.exec(last);
        assert.ok(m, `the last hint does not point into Troubleshooting: ${last}`);
        assert.equal(Number(m[1]), e.chapter);
        const entries = [...section(text, /^## Troubleshooting$/m).matchAll(/^\*\*(.+?)\*\*/gm)].map((b) => plain(b[1]));
        assert.ok(entries.includes(m[2]), `chapter ${e.chapter} has no Troubleshooting entry **${m[2]}**`);
      });

      it('says what users notice without naming the fix command', () => {
        const notice = e.notice({ node: 'node3', hba: '[]', line: '    priority 100', higher: '    priority 200' });
        assert.ok(notice.length > 20);
        assert.doesNotMatch(notice, /sed -i|systemctl (start|restart|reload)/);
      });
    });
  }

  it('gives one more hint each time, and says when none is left', () => {
    const e = exercise('etcd-down');
    const first = hintLines(e, 0);
    assert.equal(first.lines.length, 1);
    assert.equal(first.shown, 1);
    const all = hintLines(e, e.hints.length);
    assert.equal(all.shown, e.hints.length);
    assert.match(all.lines.at(-1) ?? '', /no more hints: `npm run exercise -- solve etcd-down`/);
  });

  it('refuses an unknown exercise with the list of names', () => {
    assert.throws(() => exercise('nope'), /unknown exercise "nope": choose one of etcd-down, /);
  });

  it('types sed for one whole line, escaping what sed would read as a pattern', () => {
    assert.equal(
      sedLine('/etc/patroni.yml', '  hosts: 192.168.56.21:2379', '  hosts: a|b&c'),
      `sudo sed -i 's|^  hosts: 192\\.168\\.56\\.21:2379$|  hosts: a\\|b\\&c|' /etc/patroni.yml`,
    );
  });

  it('shows the elapsed time in minutes and seconds', () => {
    assert.equal(elapsed('2026-12-03T05:00:00Z', Date.parse('2026-12-03T05:04:12Z')), '4 min 12 s');
    assert.equal(elapsed('2026-12-03T05:00:00Z', Date.parse('2026-12-03T05:00:09Z')), '9 s');
  });
});
