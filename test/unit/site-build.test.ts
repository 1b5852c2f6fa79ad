import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { ROOT } from '../../lib/paths.ts';
import { generatePassword, loadSecrets } from '../../lib/secrets.ts';
import { type BuildResult, buildSite } from '../../lib/site/build.ts';
import { decodeHtml } from '../../lib/site/html.ts';
import { checkLinks, formatProblems } from '../../lib/site/link-check.ts';
import { scanForSecrets } from '../../lib/site/secret-scan.ts';
import { loadChapterSources } from '../../lib/site/sources.ts';
import { readSecretsFile, recordFake } from './site-support.ts';

const FIXTURES = `${ROOT}/test/fixtures/site`;

/** The text of the code block that shows an included file, as a reader sees it. */
function includedCode(html: string, spec: string): string | undefined {
  const start = html.indexOf(`data-include="${spec}"`);
  if (start === -1) return undefined;
  const code = html.slice(html.indexOf('<code>', start) + '<code>'.length, html.indexOf('</code></pre>', start));
  return decodeHtml(code.replace(/<[^>]+>/g, ''));
}

describe('site: npm run site on the fixture chapters', function () {
  this.timeout(60000);
  let dir: string;
  let out: string;
  let secrets: string[];
  let result: BuildResult;
  const page = (name: string) => readFile(`${out}/${name}`, 'utf8');

  before(async () => {
    dir = await mkdtemp(`${tmpdir()}/workbook-site-`);
    out = `${dir}/dist`;
    // A recording made through `npm run record` from a program that prints the generated secrets.
    const recorded = await recordFake(`${dir}/state`, `${dir}/recordings`);
    assert.equal(recorded.code, 0, recorded.stderr);
    // The same recording stands for an exercise done by hand (`npm run record 10 -- --exercise …`).
    await copyFile(`${dir}/recordings/10.cast`, `${dir}/recordings/10-exercise.cast`);
    secrets = await readSecretsFile(`${dir}/state`);
    result = await buildSite({ chaptersDir: `${FIXTURES}/chapters`, outDir: out, recordingsDir: `${dir}/recordings`, secrets });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has a home page and one page per chapter, in the registry’s order', async () => {
    assert.deepEqual(result.pages, [
      'index.html',
      '01-machines.html',
      '06-configure-patroni.html',
      '08-configure-haproxy.html',
      '10-failover-test.html',
      'print.html',
    ]);
    const home = await page('index.html');
    const nav = home.slice(home.indexOf('<nav class="sidebar"'), home.indexOf('</nav>'));
    const sidebar = [...nav.matchAll(/<li><a href="(\d\d-[^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(sidebar, result.pages.slice(1, -1));
    assert.match(home, /<svg class="diagram"/);
    for (const text of [
      '192.168.56.11',
      '192.168.56.12',
      '192.168.56.13',
      '192.168.56.21',
      '192.168.56.31',
      ':5432',
      ':8008',
      ':2379',
      ':2380',
      ':5000',
      ':5001',
      ':7000',
    ]) {
      assert.ok(home.includes(text), `the architecture diagram shows ${text}`);
    }
  });

  it('resolves every internal link and anchor, and loads nothing from the network', async () => {
    const report = await checkLinks(out);
    assert.equal(report.pages, 6);
    assert.ok(report.links > 100, `only ${report.links} links checked`);
    assert.deepEqual(report.problems, [], formatProblems(report.problems));
  });

  it('holds no generated secret anywhere, the recording and the search index included', async () => {
    assert.ok(secrets.length >= 5);
    const cast = await readFile(`${out}/recordings/10.cast`, 'utf8');
    assert.match(cast, /\*{8}/, 'the recording that printed the secrets is part of the site');
    assert.deepEqual(await scanForSecrets(out, secrets), []);
  });

  it('shows each included step and check exactly as the file the chapter runs', async () => {
    for (const [name, specs] of [
      ['01-machines.html', ['steps/01-machines.ts', 'checks/01-machines.check.ts']],
      ['10-failover-test.html', ['steps/10-failover-test.ts', 'checks/10-failover-test.check.ts']],
    ] as const) {
      const html = await page(name);
      for (const spec of specs) {
        const file = await readFile(`${FIXTURES}/${spec}`, 'utf8');
        assert.equal(includedCode(html, spec), file.replace(/\n$/, ''), `${name} shows ${spec} verbatim`);
        assert.match(html, new RegExp(`<span class="code-file">${spec.replace(/\./g, '\\.')}</span>`));
      }
    }
    assert.match(await page('06-configure-patroni.html'), /<span class="code-file">\/etc\/patroni\.yml on node1<\/span>/);
    assert.deepEqual(result.warnings, []);
  });

  it('highlights ts, sh, yaml, ini-style and haproxy code in both colour schemes', async () => {
    const haproxy = await page('08-configure-haproxy.html');
    const block = haproxy.slice(haproxy.indexOf('data-lang="haproxy"'));
    const colours = new Set(
      [...block.slice(0, block.indexOf('</figure>')).matchAll(/--shiki-light:(#[0-9a-f]+)/gi)].map((m) => m[1]),
    );
    assert.ok(colours.size >= 4, `haproxy.cfg in ${colours.size} colours`);
    for (const [name, lang] of [
      ['10-failover-test.html', 'ts'],
      ['10-failover-test.html', 'sh'],
      ['06-configure-patroni.html', 'yaml'],
    ]) {
      assert.match(await page(name), new RegExp(`data-lang="${lang}"[^>]*>.*?--shiki-dark:`, 's'), `${lang} in ${name}`);
    }
  });

  it('renders GitHub alerts, the differences box, heading anchors and prompts', async () => {
    const html = await page('10-failover-test.html');
    for (const type of ['note', 'warning', 'tip'])
      assert.match(html, new RegExp(`<div class="alert alert-${type}" role="note">`));
    assert.doesNotMatch(html, /\[!(NOTE|WARNING|TIP)\]/);
    assert.match(
      html,
      /<section class="differences" aria-labelledby="differences-from-the-original-guide">\s*<h2 id="differences-from-the-original-guide"/,
    );
    assert.match(html, /<h2 id="troubleshooting" tabindex="-1">Troubleshooting<a class="header-anchor" href="#troubleshooting"/);
    assert.match(html, /<span class="line"><span class="prompt">node1\$ <\/span>/);
    assert.match(html, /<span class="line output">\| node2 {2}\| 192\.168\.56\.12/);
    assert.match(await page('06-configure-patroni.html'), /<div class="alert alert-important"/);
    assert.match(await page('08-configure-haproxy.html'), /<div class="alert alert-caution"/);
    // A link between chapters written for GitHub points at the chapter's page.
    assert.match(await page('01-machines.html'), /href="10-failover-test\.html#what-you-should-see"/);
  });

  it('embeds the recording in "What you should see" with a text transcript for readers without JavaScript', async () => {
    const html = await page('10-failover-test.html');
    const section = html.slice(
      html.indexOf('id="what-you-should-see"'),
      html.indexOf('id="differences-from-the-original-guide"'),
    );
    assert.match(section, /<figure class="recording" data-pagefind-ignore data-cast="recordings\/10\.cast"/);
    assert.match(section, /<details class="recording-transcript" open>/);
    // The player is loaded by site.js when the recording is played, not with the page.
    assert.doesNotMatch(html, /asciinema-player/);
    assert.doesNotMatch(await page('06-configure-patroni.html'), /asciinema-player/);
  });

  it('embeds the recording of the exercise done by hand at the end of its "Exercise:" section', async () => {
    const html = await page('10-failover-test.html');
    const section = html.slice(html.indexOf('id="exercise-a-replica-loses-its-disk"'));
    assert.match(section, /<figure class="recording" data-pagefind-ignore data-cast="recordings\/10-exercise\.cast"/);
    assert.match(section, /Recorded with <code>npm run record 10 -- --exercise<\/code>/);
    assert.ok(existsSync(`${out}/recordings/10-exercise.cast`), 'the recording is copied into the site');
  });

  it('indexes every page for Pagefind', async () => {
    // Pagefind reads the print view too (searchPages) but indexes nothing of it: it has no data-pagefind-body.
    assert.equal(result.searchPages, 6);
    const entry = JSON.parse(await page('pagefind/pagefind-entry.json')) as { languages: Record<string, { page_count: number }> };
    assert.equal(entry.languages.en.page_count, 5);
  });

  it('refuses to publish a site in which a secret appears, and leaves the last build alone', async () => {
    const chapters = `${dir}/leaky-chapters`;
    await cp(`${FIXTURES}/chapters`, chapters, { recursive: true });
    const leaked = generatePassword();
    await writeFile(`${chapters}/01-machines.md`, `${await readFile(`${chapters}/01-machines.md`, 'utf8')}\nOops: ${leaked}\n`);
    await assert.rejects(
      buildSite({ chaptersDir: chapters, outDir: out, secrets: [leaked] }),
      // Found in the page and inside Pagefind's compressed index.
      /a generated secret appears in the built site \(01-machines\.html, .*pagefind\/fragment\/en_\w+\.pf_fragment/,
    );
    assert.deepEqual(await scanForSecrets(out, [leaked]), []);
    assert.ok((await page('index.html')).length > 0, 'the previous build is still there');
  });

  it('will not delete a folder it did not build', async () => {
    const other = `${dir}/not-a-site`;
    await mkdir(other);
    await writeFile(`${other}/notes.txt`, 'keep me');
    await assert.rejects(
      buildSite({ chaptersDir: `${FIXTURES}/chapters`, outDir: other, search: false, secrets: [] }),
      /refusing to replace/,
    );
    assert.equal(await readFile(`${other}/notes.txt`, 'utf8'), 'keep me');
  });
});

describe('site: npm run site on the real chapters', function () {
  this.timeout(60000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(`${tmpdir()}/workbook-site-real-`);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('builds a page for every chapter that exists, with working links and no secret', async () => {
    // Secrets generated the way the chapters generate them, plus any on this machine (knownSecrets).
    const generated = Object.values(await loadSecrets('lab', `${dir}/state/lab/secrets.json`));
    const result = await buildSite({
      chaptersDir: `${ROOT}/chapters`,
      outDir: `${dir}/dist`,
      recordingsDir: `${ROOT}/site/recordings`,
      search: false,
    });
    const sources = await loadChapterSources(`${ROOT}/chapters`);
    assert.equal(result.chapters, sources.length);
    const report = await checkLinks(`${dir}/dist`);
    assert.deepEqual(report.problems, [], formatProblems(report.problems));
    assert.deepEqual(await scanForSecrets(`${dir}/dist`, generated), []);
  });

  it('shows every step and check a chapter includes exactly as the file npm run chapter runs', async () => {
    await buildSite({ chaptersDir: `${ROOT}/chapters`, outDir: `${dir}/dist`, search: false });
    for (const source of await loadChapterSources(`${ROOT}/chapters`)) {
      const html = await readFile(`${dir}/dist/${source.page}`, 'utf8');
      for (const spec of [...source.markdown.matchAll(/<!-- include: ((?:steps|checks)\/\S+) -->/g)].map((m) => m[1])) {
        const shown = includedCode(html, spec);
        if (shown === undefined) continue; // not copied into the chapter yet: the chapters' own drift test reports it
        assert.equal(
          shown,
          (await readFile(`${ROOT}/${spec}`, 'utf8')).replace(/\n$/, ''),
          `${source.page} shows ${spec} as it is`,
        );
      }
    }
  });
});

describe('site: the whole workbook on one page (print.html)', function () {
  this.timeout(60000);
  let dir: string;
  let print: string;

  before(async () => {
    dir = await mkdtemp(`${tmpdir()}/workbook-print-`);
    await buildSite({ chaptersDir: `${FIXTURES}/chapters`, outDir: `${dir}/dist`, search: false, secrets: [] });
    print = await readFile(`${dir}/dist/print.html`, 'utf8');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('holds every chapter in order, each under its own id, with contents that link to them', async () => {
    const sections = [...print.matchAll(/<section class="print-chapter" id="(ch\d+)"/g)].map((m) => m[1]);
    assert.deepEqual(sections, ['ch1', 'ch6', 'ch8', 'ch10']);
    for (const id of sections) assert.match(print, new RegExp(`<li><a href="#${id}">`));
    assert.match(print, /id="ch10-what-you-should-see"/);
  });

  it('has unique ids, and links between chapters point inside the page', async () => {
    const ids = [...print.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      [],
    );
    // 01-machines.md links to 10-failover-test.md#what-you-should-see.
    assert.match(print, /href="#ch10-what-you-should-see"/);
    const article = print.slice(print.indexOf('<article'), print.indexOf('</article>'));
    assert.doesNotMatch(article, /href="\d\d-[\w-]+\.html/);
    const report = await checkLinks(`${dir}/dist`);
    assert.deepEqual(report.problems, [], formatProblems(report.problems));
  });

  it('is left out of the search index, and every page links to it', async () => {
    assert.doesNotMatch(print, /data-pagefind-body/);
    assert.match(await readFile(`${dir}/dist/06-configure-patroni.html`, 'utf8'), /<a href="print\.html">/);
  });
});
