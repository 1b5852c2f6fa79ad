import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import markdownIt from 'markdown-it';
import { CHAPTERS } from '../../lib/chapters/registry.ts';
import { ROOT } from '../../lib/paths.ts';
import { resolveLanguage } from '../../lib/site/highlight.ts';
import { sessionRuns } from '../../lib/site/md-session.ts';
import { type StaticServer, serveStatic } from '../../lib/site/serve.ts';
import { classifyShellLines } from '../../lib/site/shell-lines.ts';
import { loadChapterSources } from '../../lib/site/sources.ts';
import { ARTIFACTS, buildFixtureSite, DESKTOP, open, PHONE, REAL_DIST, screenshot, withPage } from './browser.ts';

/**
 * The site in a workshop room (issue 13, part 3): one copy button per host, progress ticks,
 * charts and diagrams on a phone and in the dark, "On this page" on narrow screens, readable
 * prompts, the player loaded on demand, "Edit this page", and the whole workbook on paper.
 */

const FIXTURE_DIST = `${ARTIFACTS}/room-fixture-dist`;
/** The fixture site is built with an edit address, as a repository that declares one would be. */
const EDIT_URL = 'https://git.example.test/workbook/edit/main/{path}';

const LAPTOP = { width: 1100, height: 800 };

let fixtureServer: StaticServer;
let realServer: StaticServer;
const fixtureUrl = (path = '') => `${fixtureServer.url}${path}`;
const realUrl = (path = '') => `${realServer.url}${path}`;

describe('site in the room (Chromium)', () => {
  before(async function () {
    this.timeout(120000);
    await buildFixtureSite(FIXTURE_DIST, EDIT_URL);
    fixtureServer = await serveStatic({ root: FIXTURE_DIST });
    realServer = await serveStatic({ root: REAL_DIST });
  });

  after(async () => {
    await fixtureServer?.close();
    await realServer?.close();
  });

  describe('"On this page" below 1280 px', () => {
    for (const [name, viewport] of [
      ['phone', PHONE],
      ['laptop', LAPTOP],
    ] as const) {
      it(`on a ${name} (${viewport.width} px): a bar that stays under the top bar, opens the list and jumps`, async () => {
        await withPage({ viewport }, async (page) => {
          await open(page, realUrl('07-start-patroni.html'));
          assert.equal(await page.locator('aside.toc').isVisible(), false, 'the side list is hidden');
          const bar = page.locator('details.local-nav');
          assert.ok(await bar.isVisible(), 'the bar is shown');
          await page.locator('#troubleshooting').scrollIntoViewIfNeeded();
          await page.mouse.wheel(0, -200);
          await page.waitForTimeout(300);
          const box = await bar.boundingBox();
          assert.ok(box && Math.abs(box.y - 64) <= 1, `the bar stays under the top bar (y = ${box?.y})`);
          await page.waitForFunction("document.querySelector('.local-nav-current').textContent !== ''");
          await bar.locator('summary').click();
          const list = bar.locator('nav a');
          assert.ok((await list.count()) >= 6, 'it lists the sections');
          await screenshot(page, `local-nav-open-${name}`);
          await bar.locator('nav a', { hasText: 'The check' }).first().click();
          await page.waitForURL(/#the-check$/);
          assert.equal(await bar.getAttribute('open'), null, 'the list closes after a jump');
          const heading = await page.locator('#the-check').boundingBox();
          assert.ok(heading && heading.y > 64 + 44 - 1, `the heading is not hidden under the bars (y = ${heading?.y})`);
          await screenshot(page, `local-nav-jumped-${name}`);
        });
      });
    }

    it('is not shown on a wide screen, where the side list is', async () => {
      await withPage({ viewport: DESKTOP }, async (page) => {
        await open(page, realUrl('07-start-patroni.html'));
        assert.ok(await page.locator('aside.toc').isVisible());
        assert.equal(await page.locator('details.local-nav').isVisible(), false);
      });
    });

    it('opens without JavaScript', async () => {
      await withPage({ viewport: PHONE, javaScriptEnabled: false }, async (page) => {
        await open(page, realUrl('07-start-patroni.html'));
        await page.locator('details.local-nav summary').click();
        assert.ok(await page.locator('details.local-nav nav a', { hasText: 'Troubleshooting' }).isVisible());
      });
    });
  });

  describe('"Edit this page"', () => {
    it('links each chapter to its source when the repository names its host', async () => {
      await withPage({ viewport: PHONE }, async (page) => {
        await open(page, fixtureUrl('10-failover-test.html'));
        const link = page.locator('.page-footer a.edit-link');
        assert.equal(await link.textContent(), 'Edit this page');
        assert.equal(await link.getAttribute('href'), 'https://git.example.test/workbook/edit/main/chapters/10-failover-test.md');
        await link.scrollIntoViewIfNeeded();
        await screenshot(page, 'edit-link-phone');
      });
    });

    it('has no link where package.json names no repository (no address is invented)', async () => {
      await withPage({ viewport: DESKTOP }, async (page) => {
        await open(page, realUrl('07-start-patroni.html'));
        const pkg = JSON.parse(await readFile(`${ROOT}/package.json`, 'utf8'));
        assert.equal(await page.locator('a.edit-link').count(), pkg.repository ? 1 : 0);
      });
    });
  });

  describe('host prompts', () => {
    /**
     * Each prompt's colour against what is really behind it: the first opaque background up the
     * tree, with translucent ones laid over it. Colours are read through a canvas, so any CSS
     * colour syntax the browser computes (rgb, color-mix results) is compared the same way.
     */
    const CONTRASTS = `(() => {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 1;
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      const rgba = (css) => {
        ctx.clearRect(0, 0, 1, 1);
        ctx.fillStyle = '#000';
        ctx.fillStyle = css;
        ctx.fillRect(0, 0, 1, 1);
        const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
        return [r, g, b, a / 255];
      };
      const over = (top, bottom) => top.slice(0, 3).map((c, i) => c * top[3] + bottom[i] * (1 - top[3])).concat(1);
      const background = (el) => {
        const layers = [];
        for (let e = el; e; e = e.parentElement) {
          const c = rgba(getComputedStyle(e).backgroundColor);
          if (c[3] > 0) layers.push(c);
          if (c[3] === 1) break;
        }
        let colour = [255, 255, 255, 1];
        for (const layer of layers.reverse()) colour = over(layer, colour);
        return colour;
      };
      const lum = ([r, g, b]) => {
        const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      return [...document.querySelectorAll('.code .prompt')].map((p) => {
        const bg = background(p);
        const fg = over(rgba(getComputedStyle(p).color), bg);
        const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
        return { prompt: p.textContent, ratio: (hi + 0.05) / (lo + 0.05) };
      });
    })()`;

    for (const scheme of ['light', 'dark'] as const) {
      it(`are 4.5:1 or better against their block, in ${scheme} mode (plain blocks, alerts, the differences box)`, async () => {
        await withPage({ viewport: DESKTOP, colorScheme: scheme }, async (page) => {
          let measured = 0;
          let lowest = Number.POSITIVE_INFINITY;
          for (const name of ['05-configure-etcd.html', '13-second-haproxy-vip.html', '15-hardening.html']) {
            await open(page, realUrl(name));
            const contrasts = await page.evaluate<{ prompt: string; ratio: number }[]>(CONTRASTS);
            assert.ok(contrasts.length > 0, `${name} has prompts`);
            for (const c of contrasts) {
              assert.ok(c.ratio >= 4.5, `${name}: prompt "${c.prompt}" has a contrast of ${c.ratio.toFixed(2)}:1`);
              lowest = Math.min(lowest, c.ratio);
            }
            measured += contrasts.length;
          }
          console.log(`      ${measured} prompts, lowest contrast ${lowest.toFixed(2)}:1`);
          await page.locator('.code.has-prompts').first().scrollIntoViewIfNeeded();
          await screenshot(page, `prompts-${scheme}`);
        });
      });
    }
  });

  describe('copy the commands of one host at a time', () => {
    /** Every session block of the chapters that mixes hosts, with what each host's part must copy, read from the markdown. */
    async function mixedBlocks() {
      const md = markdownIt({ html: true });
      const out: { page: string; parts: { host: string; copy: string }[] }[] = [];
      for (const source of await loadChapterSources(`${ROOT}/chapters`)) {
        for (const token of md.parse(source.markdown, {})) {
          if (token.type !== 'fence' || resolveLanguage(token.info) !== 'sh') continue;
          const runs = sessionRuns(token.content);
          if (!runs) continue;
          const lines = classifyShellLines(token.content);
          const parts = runs.map((run) => ({
            host: run.host,
            copy: lines
              .slice(run.start, run.end)
              .filter((l) => l.kind !== 'output')
              .map((l) => l.text)
              .join('\n'),
          }));
          out.push({ page: source.page, parts });
        }
      }
      return out;
    }

    for (const [name, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      it(`on a ${name}: each host's part of a mixed block has its own button, which copies only that host's commands`, async function () {
        this.timeout(180000);
        const blocks = await mixedBlocks();
        assert.ok(blocks.length >= 20, `the chapters have ${blocks.length} blocks that mix hosts`);
        await withPage({ viewport }, async (page, browser) => {
          await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: realUrl() });
          await page.addInitScript(`
            window.copied = [];
            const original = navigator.clipboard.writeText.bind(navigator.clipboard);
            navigator.clipboard.writeText = (text) => { window.copied.push(text); return original(text); };
          `);
          let parts = 0;
          for (const pageName of [...new Set(blocks.map((b) => b.page))]) {
            await open(page, realUrl(pageName));
            const expected = blocks.filter((b) => b.page === pageName);
            const sessions = page.locator('article .session');
            assert.equal(await sessions.count(), expected.length, `${pageName}: every mixed block is shown in parts`);
            for (const [i, block] of expected.entries()) {
              // A block in a Lab / Vagrant tab that is not shown: show its tab first, as a reader does.
              const panel = sessions.nth(i).locator('xpath=ancestor::section[@role="tabpanel"]');
              if ((await panel.count()) > 0 && !(await panel.isVisible())) {
                await page.locator(`[role="tab"][aria-controls="${await panel.getAttribute('id')}"]`).click();
              }
              const figures = sessions.nth(i).locator('figure.session-part');
              assert.equal(
                await figures.count(),
                block.parts.length,
                `${pageName}, block ${i + 1}: one part per run of one host`,
              );
              for (const [j, part] of block.parts.entries()) {
                const figure = figures.nth(j);
                assert.equal(await figure.locator('.code-host-name').textContent(), part.host);
                const button = figure.getByRole('button', { name: `Copy the commands for ${part.host}` });
                await button.click();
                const copied = await page.evaluate<string>("window.copied.at(-1) ?? ''");
                assert.equal(copied, part.copy, `${pageName}, block ${i + 1}, ${part.host}`);
                assert.equal(await page.evaluate<string>('navigator.clipboard.readText()'), part.copy);
                parts++;
              }
            }
          }
          console.log(`      ${blocks.length} blocks, ${parts} parts copied`);
          await open(page, realUrl('11-larger-etcd-cluster.html'));
          const shown = page.locator('article .session', { hasText: 'member add etcdnode3' }).first();
          await shown.scrollIntoViewIfNeeded();
          await shown.locator('button.copy').nth(1).click();
          await screenshot(page, `session-copy-${name}`);
        });
      });
    }

    it('reads without JavaScript: every part names its host, and there are no dead buttons', async () => {
      await withPage({ viewport: PHONE, javaScriptEnabled: false, colorScheme: 'dark' }, async (page) => {
        await open(page, realUrl('07-start-patroni.html'));
        const session = page.locator('article .session', { hasText: 'etcdctl get /db/postgres/leader' }).first();
        assert.deepEqual(await session.locator('.code-host-name').allTextContents(), ['node1', 'your machine', 'etcdnode']);
        assert.equal(await page.locator('button.copy').count(), 0);
        await session.scrollIntoViewIfNeeded();
        await screenshot(page, 'session-no-javascript-dark-phone');
      });
    });
  });

  describe('progress: a "done" tick per chapter, kept in the browser', () => {
    it('on a desktop: the button ticks the chapter in the sidebar and on the home page, and the tick stays after a reload', async () => {
      await withPage({ viewport: DESKTOP }, async (page) => {
        await open(page, realUrl('07-start-patroni.html'));
        const link = page.locator('.sidebar a[data-chapter="07-start-patroni.html"]');
        const progress = page.locator('.sidebar [data-progress]');
        assert.equal(await progress.textContent(), `0 of ${CHAPTERS.length} done`);
        assert.equal(await link.locator('.done-mark').count(), 0);
        const button = page.getByRole('button', { name: 'Mark this chapter as done' });
        await button.scrollIntoViewIfNeeded();
        await button.click();
        assert.equal(await page.locator('button.done-toggle').getAttribute('aria-pressed'), 'true');
        assert.ok(await link.locator('.done-mark').isVisible(), 'the sidebar shows the tick');
        assert.equal(await link.textContent(), '7Start Patroni (done)', 'screen readers hear it too');
        assert.equal(await progress.textContent(), `1 of ${CHAPTERS.length} done`);
        await screenshot(page, 'progress-desktop');
        await page.reload();
        await page.evaluate('document.fonts.ready');
        assert.ok(await link.locator('.done-mark').isVisible(), 'the tick is still there after a reload');
        assert.deepEqual(await page.evaluate("JSON.parse(localStorage.getItem('ha-workbook:done'))"), ['07-start-patroni.html']);
        await open(page, realUrl('index.html'));
        assert.ok(
          await page.locator('.chapter-cards a.done[href="07-start-patroni.html"]').isVisible(),
          'the home page card is ticked',
        );
        assert.equal(await page.locator('.chapter-cards a.done').count(), 1);
        assert.equal(await page.locator('button.done-toggle').count(), 0, 'no button on the home page');
        await page.locator('.chapter-cards a.done').scrollIntoViewIfNeeded();
        await screenshot(page, 'progress-home');
        await open(page, realUrl('07-start-patroni.html'));
        await page.getByRole('button', { name: 'Done' }).click();
        assert.equal(await link.locator('.done-mark').count(), 0, 'pressing again takes the tick away');
        assert.deepEqual(await page.evaluate("JSON.parse(localStorage.getItem('ha-workbook:done'))"), []);
      });
    });

    it('on a phone, in the dark: the tick shows in the chapter menu', async () => {
      await withPage({ viewport: PHONE, colorScheme: 'dark' }, async (page) => {
        await open(page, realUrl('05-configure-etcd.html'));
        await page.getByRole('button', { name: 'Mark this chapter as done' }).click();
        await open(page, realUrl('06-configure-patroni.html'));
        await page.locator('label.nav-toggle-label').click();
        const sidebar = page.locator('#sidebar');
        for (let i = 0; i < 50 && ((await sidebar.boundingBox())?.x ?? -1) < 0; i++) await page.waitForTimeout(50);
        assert.ok(await page.locator('.sidebar a[data-chapter="05-configure-etcd.html"] .done-mark').isVisible());
        assert.equal(await page.locator('.sidebar [data-progress]').textContent(), `1 of ${CHAPTERS.length} done`);
        await screenshot(page, 'progress-phone-dark');
      });
    });

    it('a tick made in one tab shows at once in another', async () => {
      await withPage({ viewport: DESKTOP }, async (page, browser) => {
        await open(page, realUrl('index.html'));
        const other = await browser.context.newPage();
        await open(other, realUrl('09-test-the-cluster.html'));
        await other.getByRole('button', { name: 'Mark this chapter as done' }).click();
        await page.locator('.sidebar a[data-chapter="09-test-the-cluster.html"] .done-mark').waitFor({ timeout: 5000 });
        await page.locator('.chapter-cards a.done[href="09-test-the-cluster.html"]').waitFor({ timeout: 5000 });
        await other.getByRole('button', { name: 'Done' }).click();
        await page
          .locator('.sidebar a[data-chapter="09-test-the-cluster.html"] .done-mark')
          .waitFor({ state: 'detached', timeout: 5000 });
        await other.close();
      });
    });

    it('shows no button and no count without JavaScript', async () => {
      await withPage({ viewport: DESKTOP, javaScriptEnabled: false }, async (page) => {
        await open(page, realUrl('05-configure-etcd.html'));
        assert.equal(await page.locator('button.done-toggle').count(), 0);
        assert.equal(await page.locator('.sidebar [data-progress]').isVisible(), false);
      });
    });
  });

  describe('the terminal player, loaded when a recording is played', () => {
    for (const [name, viewport, scheme] of [
      ['desktop', DESKTOP, 'light'],
      ['phone', PHONE, 'dark'],
    ] as const) {
      it(`on a ${name} (${scheme}): the page loads without the player; pressing play loads it and plays`, async () => {
        await withPage({ viewport, colorScheme: scheme }, async (page) => {
          const requests: string[] = [];
          page.on('request', (r) => requests.push(r.url()));
          await open(page, fixtureUrl('10-failover-test.html'));
          await page.waitForLoadState('networkidle');
          assert.deepEqual(
            requests.filter((u) => u.includes('asciinema')),
            [],
            'nothing of the player is fetched with the page',
          );
          assert.equal(await page.evaluate('typeof window.AsciinemaPlayer'), 'undefined');
          const play = page.getByRole('button', { name: 'Play the terminal recording' });
          await play.scrollIntoViewIfNeeded();
          assert.ok(await play.isVisible());
          await screenshot(page, `player-poster-${name}-${scheme}`);
          await play.click();
          await page.locator('figure.recording .ap-wrapper').waitFor();
          assert.deepEqual(
            requests.filter((u) => u.includes('asciinema')).map((u) => u.split('/').pop()),
            ['asciinema-player.css', 'asciinema-player.min.js'],
          );
          await page.waitForFunction('(async () => (await window.workbookPlayers[0].getCurrentTime()) > 1)()', undefined, {
            timeout: 15000,
            polling: 100,
          });
          await page.locator('figure.recording .ap-term', { hasText: 'node2 is the new leader' }).waitFor({ timeout: 15000 });
          await screenshot(page, `player-playing-${name}-${scheme}`);
        });
      });
    }

    it('plays a real chapter recording too', async () => {
      await withPage({ viewport: DESKTOP }, async (page) => {
        await open(page, realUrl('07-start-patroni.html'));
        await page.getByRole('button', { name: 'Play the terminal recording' }).click();
        await page.locator('figure.recording .ap-wrapper').waitFor();
        await page.waitForFunction('(async () => (await window.workbookPlayers[0].getCurrentTime()) > 0.5)()', undefined, {
          timeout: 15000,
          polling: 100,
        });
      });
    });
  });

  describe('diagrams and drill charts on a phone and in the dark', () => {
    /** The contrast of an SVG text's fill against a box's fill, both as the browser computes them. */
    const SVG_CONTRAST = `((text, box) => {
      const rgb = (css) => (css.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
      const lum = ([r, g, b]) => {
        const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const a = lum(rgb(getComputedStyle(document.querySelector(text)).fill));
      const b = lum(rgb(getComputedStyle(document.querySelector(box)).fill));
      return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    })`;

    for (const scheme of ['light', 'dark'] as const) {
      it(`chapter 1 draws the cluster as an SVG, readable in ${scheme} mode and enlarged on a phone by a tap`, async () => {
        await withPage({ viewport: PHONE, colorScheme: scheme }, async (page) => {
          await open(page, realUrl('01-machines.html'));
          const figure = page.locator('article figure.architecture');
          assert.equal(await figure.count(), 1, 'the diagram is drawn');
          assert.equal(await page.locator('article pre', { hasText: '┌' }).count(), 0, 'the text drawing is not shown');
          assert.ok(
            (await page.evaluate<number>(
              `${SVG_CONTRAST}('article .d-host[data-host="node1"] .d-name', 'article .d-host[data-host="node1"] .d-box')`,
            )) >= 4.5,
          );
          await figure.scrollIntoViewIfNeeded();
          await screenshot(page, `diagram-chapter1-phone-${scheme}`);
          await figure
            .locator('svg.diagram')
            .tap()
            .catch(() => figure.locator('svg.diagram').click());
          const dialog = page.getByRole('dialog', { name: 'The cluster: five hosts on 192.168.56.0/24' });
          await dialog.waitFor();
          const svg = dialog.locator('svg.diagram');
          const width = (await svg.boundingBox())?.width ?? 0;
          assert.ok(width >= 960, `the diagram is shown at its full size or more (${width} px wide)`);
          const text = (await dialog.locator('.d-host[data-host="etcdnode"] .d-ip').boundingBox())?.height ?? 0;
          assert.ok(text >= 13, `an address is ${text} px high`);
          assert.equal(
            await page.locator('article svg.diagram').count(),
            0,
            'the drawing is moved, not copied: its ids stay unique',
          );
          await page.getByRole('button', { name: 'Zoom in' }).click();
          assert.ok(((await svg.boundingBox())?.width ?? 0) > width, 'zoom in makes it larger');
          await dialog.locator('.zoom-body').evaluate((el) => el.scrollBy(300, 0));
          await screenshot(page, `diagram-enlarged-phone-${scheme}`);
          await page.getByRole('button', { name: 'Close' }).click();
          await page.locator('article figure.architecture svg.diagram').waitFor({ timeout: 5000 });
          assert.equal(await page.locator('dialog.zoom-dialog[open]').count(), 0);
          assert.equal(
            await page.locator('article figure.architecture svg.diagram').count(),
            1,
            'the drawing is back in its place',
          );
        });
      });
    }

    it('the home page diagram has an Enlarge button on a desktop too', async () => {
      await withPage({ viewport: DESKTOP }, async (page) => {
        await open(page, realUrl('index.html'));
        await page.getByRole('button', { name: /^Enlarge: The cluster/ }).click();
        await page.locator('dialog.zoom-dialog[open] svg.diagram').waitFor();
        await page.keyboard.press('Escape');
        // The dialog's close event comes a moment later: the drawing goes back then.
        await page.locator('article figure.architecture svg.diagram').waitFor({ timeout: 5000 });
        assert.equal(await page.locator('dialog.zoom-dialog[open]').count(), 0);
      });
    });

    it('a drill chart is redrawn for a dark screen, and opens at full size on a phone', async () => {
      const charts = ['crash-guide.svg', 'patroni-kill-guide.svg', 'netcut-fast.svg'];
      for (const scheme of ['light', 'dark'] as const) {
        await withPage({ viewport: PHONE, colorScheme: scheme }, async (page) => {
          for (const chart of charts) {
            await page.goto(realUrl(`drills/${chart}`));
            const fill = (selector: string) =>
              page.evaluate<string>(`getComputedStyle(document.querySelector('${selector}')).fill`);
            const background = await fill('rect[fill="#ffffff"]');
            const title = await fill('text[fill="#0f172a"]');
            assert.equal(background, scheme === 'dark' ? 'rgb(27, 27, 31)' : 'rgb(255, 255, 255)', `${chart}: background`);
            assert.equal(title, scheme === 'dark' ? 'rgb(236, 238, 242)' : 'rgb(15, 23, 42)', `${chart}: title`);
          }
          await open(page, realUrl('16-reliability-drills.html'));
          const link = page.locator('article a.chart-link').first();
          await link.scrollIntoViewIfNeeded();
          await page.waitForFunction("document.querySelector('article a.chart-link img').complete");
          await screenshot(page, `chart-phone-${scheme}`);
          await link.locator('img').click();
          const img = page.locator('dialog.zoom-dialog[open] img.zoomed');
          await img.waitFor();
          assert.ok(((await img.boundingBox())?.width ?? 0) >= 880, 'the chart is shown at its full width');
          await screenshot(page, `chart-enlarged-phone-${scheme}`);
          await page.getByRole('button', { name: 'Close' }).click();
        });
      }
    });

    it('without JavaScript, a chart is a link to itself, to open alone and zoom', async () => {
      await withPage({ viewport: PHONE, javaScriptEnabled: false }, async (page) => {
        await open(page, realUrl('16-reliability-drills.html'));
        const hrefs = await page.locator('article a.chart-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        assert.ok(hrefs.length >= 5);
        for (const href of hrefs) assert.match(href ?? '', /^drills\/[\w-]+\.svg$/);
        assert.equal(await page.locator('button.zoom-open').count(), 0);
      });
    });
  });

  describe('the whole workbook on one page, for paper', () => {
    it('is linked from every page, holds every chapter, and prints each on new sheets, black on white even in dark mode', async function () {
      this.timeout(180000);
      await withPage({ viewport: DESKTOP, colorScheme: 'dark' }, async (page) => {
        await open(page, realUrl('07-start-patroni.html'));
        await page.locator('.sidebar a[href="print.html"]').click();
        await page.waitForURL(/print\.html$/);
        await page.evaluate('document.fonts.ready');
        const chapters = await loadChapterSources(`${ROOT}/chapters`);
        const titles = await page.locator('section.print-chapter > h1').allTextContents();
        assert.deepEqual(
          titles.map((t) => t.trim()),
          chapters.map((c) => c.title),
        );
        const duplicates = await page.evaluate<string[]>(
          "(() => { const ids = [...document.querySelectorAll('[id]')].map((e) => e.id); return ids.filter((id, i) => ids.indexOf(id) !== i); })()",
        );
        assert.deepEqual(duplicates, [], 'ids are unique on the page');
        assert.equal(await page.locator('.recording-poster').count(), 0, 'recordings are shown as transcripts');
        assert.ok(await page.getByRole('button', { name: 'Print or save as PDF' }).isVisible());
        await screenshot(page, 'print-view-screen-dark');
        await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
        const style = (selector: string, property: string) =>
          page.evaluate<string>(`getComputedStyle(document.querySelector('${selector}')).getPropertyValue('${property}')`);
        assert.equal(await style('.sidebar', 'display'), 'none');
        assert.equal(await style('.print-button', 'display'), 'none');
        assert.equal(await style('section.print-chapter', 'break-before'), 'page');
        assert.equal(await style('body', 'color'), 'rgb(0, 0, 0)');
        assert.equal(await style('body', 'background-color'), 'rgb(255, 255, 255)');
        await screenshot(page, 'print-view-paper');
        const pdf = await page.pdf({ path: `${ARTIFACTS}/print-whole-workbook.pdf`, format: 'A4', printBackground: true });
        const sheets = (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
        console.log(`      ${chapters.length} chapters on ${sheets} A4 sheets (${Math.round(pdf.length / 1024)} kB)`);
        assert.ok(sheets > chapters.length, `${sheets} sheets`);
        await page.emulateMedia({ media: 'screen', colorScheme: 'dark' });
        await page.getByLabel('the step and check scripts').uncheck();
        await page.getByLabel('the terminal transcripts').uncheck();
        assert.equal(await page.locator('.print-chapter figure.code[data-include^="steps/"]').first().isVisible(), false);
        assert.equal(await page.locator('.print-chapter figure.recording').first().isVisible(), false);
        const shorter = await page.pdf({ format: 'A4' });
        const fewer = (shorter.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
        console.log(`      without the scripts and transcripts: ${fewer} sheets`);
        assert.ok(fewer < sheets, `${fewer} sheets, fewer than ${sheets}`);
      });
    });

    it('reads on a phone too, and opens the contents', async () => {
      await withPage({ viewport: PHONE }, async (page) => {
        await open(page, realUrl('print.html'));
        await page.locator('.print-contents a', { hasText: 'Failover test' }).click();
        await page.waitForURL(/#ch10$/);
        assert.ok(await page.locator('#ch10 > h1').isVisible());
        await screenshot(page, 'print-view-phone');
      });
    });
  });
});
