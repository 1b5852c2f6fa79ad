import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import markdownIt from 'markdown-it';
import { ROOT } from '../../lib/paths.ts';
import { catchUpHtml, chapterCardPlugin } from '../../lib/site/chapter-card.ts';
import { checkEditUrl, parseSiteArgs } from '../../lib/site/cli-args.ts';
import { fillGenerated, type TimesContext } from '../../lib/site/generated.ts';
import { glossaryPlugin, glossaryTerms } from '../../lib/site/glossary.ts';
import { newPageEnv } from '../../lib/site/markdown.ts';
import {
  BY_HAND_TIMES_FILE,
  FALLBACK_TIMES,
  loadMeasuredTimes,
  type MeasuredTimes,
  parseByHandTimes,
  withFallback,
} from '../../lib/site/measured-times.ts';
import {
  buildSchedule,
  oneDaySchedule,
  REVIEW_MINUTES,
  type ScheduleChapter,
  scheduleMarkdown,
  toClock,
  toMinutes,
  twoDaySchedule,
} from '../../lib/site/schedule.ts';
import { loadChapterSources } from '../../lib/site/sources.ts';
import { targetTabsPlugin } from '../../lib/site/target-tabs.ts';
import { type ChapterTime, chapterFigures, chapterTimes, exactMinutes, formatMinutes, roundUp } from '../../lib/site/times.ts';
import { hostsTouched, OWN_MACHINE, whereYouAreSvg } from '../../lib/site/where-you-are.ts';
import { UsageError } from '../../lib/usage-error.ts';

const fence = '```';

/** A small chapter: one by-hand block on node1 (repeated on node2), a lab-only block, prose and a code block. */
const CHAPTER = `# 3. Test

One two three four five six.

## By hand

${fence}sh
node1$ echo hello
hello
${fence}

<!-- by-hand: repeat node2 -->
${fence}sh
node1$ sudo true
${fence}

<!-- by-hand: only lab -->
${fence}sh
$ npm run lab -- up
${fence}

${fence}text
not words: alpha beta gamma
${fence}

## What you should see

${fence}sh
$ npm run check 3
${fence}
`;

describe('site: the time of a chapter (measured machine seconds + typing + reading)', () => {
  it('is machine s/60 + typed chars/200 + prose words/180, rounded up to 5 minutes', () => {
    assert.equal(exactMinutes(90, { chars: 400, words: 360 }), 1.5 + 2 + 2);
    assert.equal(roundUp(5.5), 10);
    assert.equal(roundUp(10), 10, 'a whole 5 stays');
    assert.equal(roundUp(0.2), 5, 'never less than 5');
    assert.equal(roundUp(44.3), 45);
  });

  it('counts what a Vagrant attendee types (repeats included, lab-only blocks left out) and the prose words', () => {
    const f = chapterFigures(CHAPTER);
    // "echo hello" (10) + "sudo true" twice (9 + 9) + "npm run check 3" (15); the lab block is not typed on Vagrant.
    assert.equal(f.chars, 10 + 9 + 9 + 15);
    assert.equal(f.lines, 4);
    // "3. Test", "One two three four five six.", "By hand", "What you should see": code blocks and comments left out.
    assert.equal(f.words, 2 + 6 + 2 + 4);
    const withReview = `${CHAPTER}\n## Review questions\n\n**1. Why?**\n\n<details>\n<summary>Answer</summary>\n\nBecause.\n\n</details>\n`;
    assert.equal(chapterFigures(withReview).words, f.words, 'review questions have minutes of their own in a schedule');
  });

  it('uses a chapter’s own seconds, shares a group’s seconds by typed lines, and says when a chapter was not measured', () => {
    const measured: MeasuredTimes = {
      source: 'test',
      fallback: true,
      seconds: new Map([[3, 120]]),
      groups: [{ chapters: [1, 2], seconds: 60 }],
    };
    const one = CHAPTER.replace('# 3.', '# 1.');
    const two = CHAPTER.replace('node1$ echo hello\nhello\n', 'node1$ echo hello\nnode1$ echo again\nnode1$ echo more\n');
    const times = chapterTimes(
      [
        { number: 1, markdown: one },
        { number: 2, markdown: two },
        { number: 3, markdown: CHAPTER },
        { number: 4, markdown: CHAPTER },
      ],
      measured,
    );
    const [t1, t2, t3, t4] = times;
    assert.equal(t1.machine, 'shared');
    assert.equal(t2.machine, 'shared');
    assert.equal(Math.round(t1.machineSeconds + t2.machineSeconds), 60, 'the group total is shared out, not repeated');
    assert.ok(t2.machineSeconds > t1.machineSeconds, 'the chapter that types more lines gets more of it');
    assert.deepEqual([t3.machine, t3.machineSeconds], ['measured', 120]);
    assert.deepEqual([t4.machine, t4.machineSeconds], ['not measured', 0]);
    assert.equal(t3.minutes, roundUp(exactMinutes(120, t3)));
  });

  it('formats minutes for people', () => {
    assert.equal(formatMinutes(45), '45 min');
    assert.equal(formatMinutes(60), '1 h');
    assert.equal(formatMinutes(405), '6 h 45 min');
  });
});

describe('site: the by-hand times file and its fallback', () => {
  it('reads bench/results/by-hand-times.json of shape {date, machine, chapters: {"1": {seconds, lines, chars}}}', () => {
    const parsed = parseByHandTimes(
      JSON.stringify({
        date: '2026-12-03T06:00:00Z',
        machine: 'lab, 2 cores',
        chapters: { '1': { seconds: 12.5, lines: 9, chars: 200 }, '10': { seconds: 40 } },
      }),
    );
    assert.equal(parsed.fallback, false);
    assert.deepEqual(
      [...parsed.seconds],
      [
        [1, 12.5],
        [10, 40],
      ],
    );
    assert.match(parsed.source, /by-hand-times\.json \(by-hand run of 2026-12-03 on lab, 2 cores\)/);
  });

  it('refuses a file of another shape, naming what is wrong', () => {
    assert.throws(() => parseByHandTimes('{"chapters": {"x": {"seconds": 1}}}'), /chapter "x"/);
    assert.throws(() => parseByHandTimes('{"chapters": {"2": {"secs": 1}}}'), /"seconds"/);
    assert.throws(() => parseByHandTimes('[]'), /expected/);
  });

  it('uses the file when it exists, else the committed figures of the last measured run, labelled as such', async () => {
    const root = await mkdtemp(`${tmpdir()}/workbook-times-`);
    try {
      const absent = await loadMeasuredTimes(root);
      assert.equal(absent, FALLBACK_TIMES);
      assert.equal(absent.fallback, true);
      assert.match(absent.source, /last measured by-hand run/);
      assert.deepEqual(
        [6, 7, 8, 9, 11, 13, 14, 15, 16].map((n) => absent.seconds.get(n)),
        [15, 25, 15, 8, 77, 70, 3, 39, 150],
      );
      assert.deepEqual(absent.groups, [{ chapters: [1, 2, 3, 4, 5], seconds: 52 }]);
      await mkdir(`${root}/bench/results`, { recursive: true });
      await writeFile(
        `${root}/${BY_HAND_TIMES_FILE}`,
        JSON.stringify({ date: '2026-12-03', machine: 'm', chapters: { '7': { seconds: 30 } } }),
      );
      const present = await loadMeasuredTimes(root);
      assert.equal(present.fallback, false);
      assert.equal(present.seconds.get(7), 30);
      assert.equal(present.earlier?.get(7), undefined, 'the file wins');
      assert.equal(present.earlier?.get(16), 150, 'a chapter the file lacks keeps the earlier run’s figure');
      assert.match(
        present.source,
        /by-hand-times\.json .*; for the chapters it does not have yet, the last measured by-hand run/,
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('gives what remains of a group’s total to the members the file does not have', () => {
    const file = parseByHandTimes(
      JSON.stringify({ date: 'd', machine: 'm', chapters: { '4': { seconds: 6 }, '5': { seconds: 14.6 } } }),
    );
    const merged = withFallback(file);
    assert.equal(merged.groups.length, 1);
    assert.deepEqual(merged.groups[0].chapters, [1, 2, 3]);
    assert.ok(Math.abs(merged.groups[0].seconds - (52 - 20.6)) < 1e-9);
    const times = chapterTimes(
      [1, 4, 16].map((number) => ({ number, markdown: CHAPTER })),
      merged,
    );
    assert.deepEqual(
      times.map((t) => t.machine),
      ['shared', 'measured', 'earlier run'],
    );
    assert.ok(Math.abs(times[0].machineSeconds - 31.4) < 1e-9, 'chapter 1 alone of its group here: the whole remainder');
    const complete = withFallback(
      parseByHandTimes(
        JSON.stringify({
          date: 'd',
          machine: 'm',
          chapters: Object.fromEntries([...Array(16)].map((_, i) => [String(i + 1), { seconds: 1 }])),
        }),
      ),
    );
    assert.deepEqual([complete.groups, complete.earlier?.size], [[], 0]);
    assert.doesNotMatch(complete.source, /does not have yet/);
  });
});

describe('site: workshop schedules from the measured times', () => {
  const chapters = (minutes: number[]): ScheduleChapter[] =>
    minutes.map((m, i) => ({ number: i + 1, title: `C${i + 1}`, minutes: m }));

  it('converts clock times', () => {
    assert.equal(toMinutes('09:45'), 585);
    assert.equal(toClock(585), '09:45');
    assert.throws(() => toMinutes('9h'), /not a time/);
  });

  it('packs chapters in order, never across a break, each with its review, and keeps the rest as spare time', () => {
    const s = buildSchedule(chapters([40, 40, 40]), 1, [
      { start: '09:00', end: '10:30' },
      { start: '10:45', end: '12:00' },
    ]);
    const [first, second] = s.days[0];
    assert.deepEqual(
      first.slots.map((slot) => [slot.start, slot.end, slot.chapter]),
      [
        ['09:00', '09:20', undefined],
        ['09:20', '10:05', 1],
      ],
      'chapter 2 (45 min with review) does not fit before 10:30, so it waits for the next session',
    );
    assert.equal(first.spare, 25);
    assert.deepEqual(
      second.slots.map((slot) => slot.chapter),
      [2],
    );
    assert.deepEqual(
      s.left.map((c) => c.number),
      [3],
      'what does not fit is listed, not dropped',
    );
    assert.equal(first.slots[1].minutes, 40 + REVIEW_MINUTES);
  });

  it('gives a chapter longer than any session a session of its own instead of losing it', () => {
    const s = buildSchedule(chapters([200]), 1, [{ start: '09:00', end: '10:00' }]);
    assert.deepEqual(
      s.days[0][0].slots.map((slot) => slot.chapter),
      [undefined, 1],
    );
  });

  it('plans chapters 1–10 in one day and every chapter in two, from the real chapters', async () => {
    const sources = await loadChapterSources(`${ROOT}/chapters`);
    const times = chapterTimes(sources, FALLBACK_TIMES);
    const all = sources.map((s, i) => ({ number: s.number, title: s.title, minutes: times[i].minutes }));
    const one = oneDaySchedule(all);
    const planned = (d: typeof one) => d.days.flat().flatMap((session) => session.slots.flatMap((slot) => slot.chapter ?? []));
    assert.deepEqual(planned(one), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(
      one.left.map((c) => c.number),
      sources.map((s) => s.number).filter((n) => n > 10),
    );
    const two = twoDaySchedule(all);
    assert.deepEqual(
      planned(two),
      sources.map((s) => s.number),
    );
    assert.deepEqual(two.left, []);
    const table = scheduleMarkdown(two, (n) => `../chapters/${n}.md`);
    assert.match(table, /\*\*Day 2\*\*/);
    assert.match(table, /\| 12:30–13:30 \| \*\*lunch\*\* \| 60 \|/);
    assert.match(table, /\[1\. .*\]\(\.\.\/chapters\/1\.md\)/);
  });
});

describe('site: where you are (the hosts a chapter touches, from its prompts)', () => {
  it('finds host prompts in shell blocks, repeat markers and the attendee’s own machine; ignores comments and other blocks', () => {
    const md = `${fence}sh\n# a comment, not a root prompt\nnode1$ true\netcdnode# id\n$ npm run check 1\n${fence}\n\n<!-- by-hand: repeat node2 node3 -->\n${fence}text\nhaproxynode$ not a shell block\n${fence}\n`;
    assert.deepEqual(hostsTouched(md), [OWN_MACHINE, 'node1', 'node2', 'node3', 'etcdnode']);
    assert.deepEqual(hostsTouched('no blocks at all'), []);
  });

  it('draws the five hosts, the eight when the chapter touches a later one, and marks the touched', () => {
    const five = whereYouAreSvg(['node1'], 'w1');
    assert.equal((five.match(/class="w-host/g) ?? []).length, 6, 'your machine and the five hosts');
    assert.match(five, /data-host="node1" data-touched="true"/);
    assert.match(five, /data-host="node2" data-touched="false"/);
    assert.match(five, /<desc id="w1-desc">[^<]*node1/);
    const eight = whereYouAreSvg(['etcdnode2'], 'w2');
    assert.equal((eight.match(/class="w-host/g) ?? []).length, 9);
  });
});

describe('site: the chapter card', () => {
  const render = (markdown: string, withInfo: boolean) => {
    const md = markdownIt({ html: true });
    md.use(chapterCardPlugin);
    const env = newPageEnv(new Map());
    if (withInfo) {
      const time: ChapterTime = {
        number: 7,
        chars: 1200,
        lines: 20,
        words: 900,
        machineSeconds: 25,
        machine: 'measured',
        exactMinutes: 11.4,
        minutes: 15,
      };
      env.chapterCard = {
        number: 7,
        time,
        hosts: ['node1', 'node2'],
        timesSource: 'test',
        timesPage: 'instructor.html#the-times',
      };
    }
    return { html: md.render(markdown, env as never), env };
  };
  const CARD =
    '# 7. X\n\n<!-- chapter-card -->\n**After this chapter you can:**\n\n- do a thing.\n\n<!-- /chapter-card -->\n\nIntro.\n';

  it('wraps the objectives with the time, the map of the hosts and the catch-up command', () => {
    const { html } = render(CARD, true);
    assert.match(html, /<aside class="chapter-card"[^>]*data-chapter-card="7"/);
    assert.match(html, /about 15 min/);
    assert.match(html, /<li>do a thing\.<\/li>/);
    assert.match(html, /data-host="node1" data-touched="true"/);
    assert.match(html, /you type on: node1, node2/);
    assert.match(html, /npm run chapter 6 -- --catch-up/);
    assert.match(html, /href="instructor\.html#the-times"/);
    assert.ok(html.indexOf('</aside>') < html.indexOf('Intro.'));
  });

  it('says how to catch up: chapter 1 alone before chapter 2, nothing before chapter 1', () => {
    assert.equal(catchUpHtml(1), '');
    assert.match(catchUpHtml(2), /<code>npm run chapter 1<\/code>/);
    assert.match(catchUpHtml(9), /<code>npm run chapter 8 -- --catch-up<\/code>/);
  });

  it('keeps the objectives on a page without figures, and warns about a card that is not closed', () => {
    assert.match(render(CARD, false).html, /<aside class="chapter-card"><div class="card-objectives">/);
    const { env } = render('<!-- chapter-card -->\n- x\n', true);
    assert.deepEqual(env.warnings, ['<!-- chapter-card --> has no <!-- /chapter-card --> below it']);
  });
});

describe('site: Lab / Vagrant tabs', () => {
  const render = (markdown: string) => {
    const md = markdownIt({ html: true });
    md.use(targetTabsPlugin);
    const env = newPageEnv(new Map());
    return { html: md.render(markdown, env as never), env };
  };

  it('renders a tab list of buttons over one labelled panel per tab, the tab list hidden until site.js runs', () => {
    const { html, env } = render(
      '<!-- tab: Vagrant -->\n\nvagrant ssh node1\n\n<!-- tab: Lab -->\n\nlab shell node1\n\n<!-- /tabs -->\n\nAfter.\n',
    );
    assert.deepEqual(env.warnings, []);
    assert.match(html, /<div class="tab-list" role="tablist" aria-label="[^"]+" hidden>/);
    const tabs = [
      ...html.matchAll(/<button type="button" role="tab" id="([^"]+)" aria-controls="([^"]+)" aria-selected="(true|false)"/g),
    ];
    assert.deepEqual(
      tabs.map((t) => t[3]),
      ['true', 'false'],
    );
    for (const [, tabId, panelId] of tabs) {
      assert.match(html, new RegExp(`<section class="tab-panel" role="tabpanel" id="${panelId}" aria-labelledby="${tabId}"`));
    }
    assert.match(html, /<p class="tab-panel-title">Vagrant<\/p>\n<p>vagrant ssh node1<\/p>\n<\/section>/);
    assert.ok(html.indexOf('</div>') < html.indexOf('After.'), 'the group ends at <!-- /tabs -->');
  });

  it('gives every group on a page its own ids, and warns about a group left open', () => {
    const two = render(
      '<!-- tab: A -->\n\na\n\n<!-- tab: B -->\n\nb\n\n<!-- /tabs -->\n\n<!-- tab: A -->\n\na\n\n<!-- tab: B -->\n\nb\n\n<!-- /tabs -->\n',
    );
    const ids = [...two.html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(new Set(ids).size, ids.length, `ids repeat: ${ids.join(' ')}`);
    assert.deepEqual(render('<!-- tab: Lab -->\n\nx\n').env.warnings, ['<!-- tab: Lab --> has no <!-- /tabs --> below it']);
  });
});

describe('site: the glossary', () => {
  it('reads one term per ### heading with the first sentence of its definition, and links get it as a tooltip', () => {
    const terms = glossaryTerms(
      '# Glossary\n\n## Terms\n\n### Leader lock\n\nThe key `/db/postgres/leader` in [etcd](x.md). More.\n\n### WAL\n\nWrite-ahead log.\n',
    );
    assert.deepEqual(terms, [
      { term: 'Leader lock', id: 'leader-lock', short: 'The key /db/postgres/leader in etcd.' },
      { term: 'WAL', id: 'wal', short: 'Write-ahead log.' },
    ]);
    const md = markdownIt({ html: true });
    md.use(glossaryPlugin);
    const env = newPageEnv(new Map());
    env.glossary = new Map(terms.map((t) => [t.id, t]));
    const html = md.render(
      'See [the lock](../workshop/glossary.md#leader-lock) and [x](../workshop/glossary.md#nope).',
      env as never,
    );
    assert.match(
      html,
      /<a href="\.\.\/workshop\/glossary\.md#leader-lock" class="glossary-link" title="The key \/db\/postgres\/leader in etcd\.">/,
    );
    assert.deepEqual(env.warnings, ['link to "../workshop/glossary.md#nope": the glossary has no term with that id']);
  });

  it('has the terms a workshop needs, each defined', async () => {
    const terms = glossaryTerms(await readFile(`${ROOT}/workshop/glossary.md`, 'utf8'));
    const ids = terms.map((t) => t.id);
    for (const id of [
      'wal',
      'timeline',
      'lease',
      'quorum',
      'vrrp',
      'fencing',
      'split-brain',
      'leader-lock',
      'ttl',
      'pg_rewind',
      'synchronous-replication',
      'dcs',
    ]) {
      assert.ok(ids.includes(id), `the glossary has no ${id}`);
    }
    for (const t of terms) assert.ok(t.short.length > 10, `${t.term} has no definition`);
  });
});

describe('site: blocks generated from the measured times', () => {
  it('replaces <!-- workbook: … --> lines with the tables, and reports a name it does not know', () => {
    const time: ChapterTime = {
      number: 1,
      chars: 200,
      lines: 5,
      words: 900,
      machineSeconds: 60,
      machine: 'measured',
      exactMinutes: 7,
      minutes: 10,
    };
    const context: TimesContext = {
      chapters: [{ number: 1, title: 'One', minutes: 10, time, page: '../chapters/01-one.md' }],
      source: 'a test run',
      fallback: false,
    };
    const warnings: string[] = [];
    const out = fillGenerated(
      'a\n<!-- workbook: chapter-times -->\nb\n<!-- workbook: schedule one-day -->\n<!-- workbook: nothing -->\n',
      context,
      warnings,
    );
    assert.match(out, /\| \[1\. One\]\(\.\.\/chapters\/01-one\.md\) \| 60 \| 200 \| 900 \| 7\.0 \| \*\*10\*\* \|/);
    assert.match(out, /Machine seconds: a test run\./);
    assert.match(out, /\| 09:00–09:20 \| Welcome/);
    assert.deepEqual(warnings, ['there is no generated block called "nothing"']);
  });
});

describe('site: every chapter is ready for the room', () => {
  it('has a chapter card with objectives, and two or three review questions with their answers folded away', async () => {
    for (const source of await loadChapterSources(`${ROOT}/chapters`)) {
      const card = /^<!-- chapter-card -->\n([\s\S]*?)^<!-- \/chapter-card -->$/m.exec(source.markdown);
      assert.ok(card, `${source.base}: no <!-- chapter-card -->`);
      assert.ok((card[1].match(/^- /gm) ?? []).length >= 2, `${source.base}: fewer than two learning objectives`);
      const review = source.markdown.split(/^## Review questions$/m)[1];
      assert.ok(review, `${source.base}: no "## Review questions"`);
      const questions = (review.split(/^## /m)[0].match(/^\*\*\d+\. .+\?\*\*$/gm) ?? []).length;
      const answers = (review.match(/^<details>\n<summary>Answer<\/summary>$/gm) ?? []).length;
      assert.ok(questions >= 2 && questions <= 3, `${source.base}: ${questions} review questions`);
      assert.equal(answers, questions, `${source.base}: every question has its answer in a <details>`);
      assert.ok(hostsTouched(source.markdown).length > 0, `${source.base}: touches no host`);
    }
  });
});

describe('site: "Edit this page" base, configurable', () => {
  it('takes --edit-url or WORKBOOK_EDIT_URL (an http(s) address with {path}), and --no-edit-url turns the link off', () => {
    const url = 'https://git.example.test/workbook/-/edit/main/{path}';
    assert.equal(parseSiteArgs(['--edit-url', url], {}).editUrl, url);
    assert.equal(parseSiteArgs([], { WORKBOOK_EDIT_URL: url }).editUrl, url);
    assert.equal(parseSiteArgs(['--no-edit-url'], { WORKBOOK_EDIT_URL: url }).editUrl, null);
    assert.equal(parseSiteArgs([], {}).editUrl, undefined, 'unset: package.json decides');
    assert.throws(() => checkEditUrl('https://example.test/edit/main/'), UsageError, 'no {path}');
    assert.throws(() => checkEditUrl('javascript:alert(1)//{path}'), UsageError);
    assert.throws(() => parseSiteArgs(['--edit-url'], {}), /needs a value/);
  });
});
