import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { ROOT } from '../../lib/paths.ts';
import { type BuildResult, buildSite } from '../../lib/site/build.ts';
import { glossaryTerms } from '../../lib/site/glossary.ts';
import { type StaticServer, serveStatic } from '../../lib/site/serve.ts';
import { formatMinutes } from '../../lib/site/times.ts';
import { hostsTouched, OWN_MACHINE } from '../../lib/site/where-you-are.ts';
import { ARTIFACTS, DESKTOP, open, PHONE, screenshot, withPage } from './browser.ts';

/**
 * The instructor's material on the site (issue 13, parts 2 and 3): chapter cards with the
 * measured time and the "where you are" map, review questions folded away, Lab / Vagrant tabs,
 * the time per chapter on the home page, the workshop pages (cleanup, glossary, instructor) and
 * "Edit this page" from a configured base. The real chapters, built with an edit address, at
 * phone and desktop sizes and in dark mode.
 */

const DIST = `${ARTIFACTS}/instructor-dist`;
const EDIT_URL = 'https://git.example.test/workbook/-/edit/main/{path}';
const SIZES = [
  ['phone', PHONE],
  ['desktop', DESKTOP],
] as const;

let server: StaticServer;
let built: BuildResult;
const url = (path = '') => `${server.url}${path}`;

/** No sideways scrolling on the page. */
async function assertNoOverflow(page: Page): Promise<void> {
  const [scroll, width] = await page.evaluate<number[]>('[document.scrollingElement.scrollWidth, window.innerWidth]');
  assert.ok(scroll <= width, `the page scrolls sideways: ${scroll} > ${width}`);
}

/** Contrast of an element's text (or SVG fill) against what is behind it, layers composited, via a canvas. */
const CONTRAST = `((selector) => {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const rgba = (css) => { ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = '#000'; ctx.fillStyle = css; ctx.fillRect(0, 0, 1, 1); const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data; return [r, g, b, a / 255]; };
  const over = (top, bottom) => top.slice(0, 3).map((c, i) => c * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const lum = ([r, g, b]) => { const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  return [...document.querySelectorAll(selector)].map((el) => {
    const layers = [];
    const svgHost = el.closest('g');
    const rect = svgHost && svgHost.querySelector('rect');
    if (rect) layers.push(rgba(getComputedStyle(rect).fill));
    for (let e = el.closest('svg') ? el.closest('svg').parentElement : el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] === 1) break;
    }
    const ordered = [...layers].reverse();
    let bg = [255, 255, 255, 1];
    for (const layer of ordered.slice(0, ordered.length - (rect ? 1 : 0))) bg = over(layer, bg);
    if (rect) bg = over(layers[0], bg);
    const style = getComputedStyle(el);
    const fg = over(rgba(el instanceof SVGElement ? style.fill : style.color), bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    return { text: el.textContent.trim(), ratio: (hi + 0.05) / (lo + 0.05) };
  });
})`;

async function contrasts(page: Page, selector: string): Promise<{ text: string; ratio: number }[]> {
  return page.evaluate(`${CONTRAST}(${JSON.stringify(selector)})`);
}

describe('site for the instructor (Chromium)', () => {
  before(async function () {
    this.timeout(120000);
    await mkdir(ARTIFACTS, { recursive: true });
    built = await buildSite({
      chaptersDir: `${ROOT}/chapters`,
      recordingsDir: `${ROOT}/site/recordings`,
      outDir: DIST,
      search: false,
      secrets: [],
      editUrl: EDIT_URL,
    });
    server = await serveStatic({ root: DIST });
  });

  after(async () => {
    await server?.close();
  });

  it('builds the workshop pages and a time for every chapter', () => {
    assert.equal(built.workshopPages, 3);
    for (const page of ['cleanup.html', 'glossary.html', 'instructor.html']) assert.ok(built.pages.includes(page), page);
    assert.equal(built.times.length, built.chapters);
    assert.deepEqual(built.warnings, []);
  });

  describe('the chapter card', () => {
    for (const [name, viewport] of SIZES) {
      for (const scheme of ['light', 'dark'] as const) {
        it(`on a ${name} in ${scheme} mode: objectives, the measured time, the hosts from the prompts, catch-up; readable`, async () => {
          await withPage({ viewport, colorScheme: scheme }, async (page) => {
            await open(page, url('07-start-patroni.html'));
            const card = page.locator('aside.chapter-card');
            assert.ok(await card.isVisible());
            const firstH2 = await page.locator('.doc h2').first().boundingBox();
            const cardBox = await card.boundingBox();
            assert.ok(cardBox && firstH2 && cardBox.y < firstH2.y, 'the card comes before the first section');
            const seven = built.times.find((t) => t.number === 7);
            assert.equal(await card.locator('.card-time strong').textContent(), `about ${formatMinutes(seven?.minutes ?? 0)}`);
            assert.ok((await card.locator('.card-objectives li').count()) >= 2, 'learning objectives');
            const markdown = await readFile(`${ROOT}/chapters/07-start-patroni.md`, 'utf8');
            const touched = await card
              .locator('.w-host[data-touched="true"]')
              .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-host')));
            assert.deepEqual(touched, hostsTouched(markdown), 'the map marks exactly the hosts of the chapter’s prompts');
            assert.ok(touched.includes('node1') && !touched.includes('haproxynode'));
            assert.ok(await card.locator('svg.where-svg').isVisible());
            assert.match((await card.locator('.card-catch-up').textContent()) ?? '', /npm run chapter 6 -- --catch-up/);
            const glossaryLink = card.locator('a.glossary-link').first();
            assert.ok((await glossaryLink.getAttribute('title'))?.length, 'words to know have their definition as a tooltip');
            assert.match((await glossaryLink.getAttribute('href')) ?? '', /^glossary\.html#/);
            for (const c of await contrasts(
              page,
              '.chapter-card .card-time strong, .chapter-card li, .w-touched .w-name, .card-catch-up',
            )) {
              assert.ok(c.ratio >= 4.5, `"${c.text.slice(0, 40)}" is at ${c.ratio.toFixed(2)}:1 in ${scheme} mode`);
            }
            await assertNoOverflow(page);
            await card.scrollIntoViewIfNeeded();
            await screenshot(page, `chapter-card-${name}-${scheme}`);
          });
        });
      }
    }

    it('shows the eight hosts in the chapters that add machines, and your machine where `$ ` is typed', async () => {
      await withPage({ viewport: DESKTOP }, async (page) => {
        await open(page, url('13-second-haproxy-vip.html'));
        assert.equal(await page.locator('aside.chapter-card .w-host').count(), 9);
        assert.equal(await page.locator('.w-host[data-host="haproxynode2"]').getAttribute('data-touched'), 'true');
        await open(page, url('02-setup-postgres-nodes.html'));
        assert.equal(await page.locator('aside.chapter-card .w-host').count(), 6);
        const touched = await page
          .locator('.w-host[data-touched="true"]')
          .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-host')));
        assert.ok(touched.includes('node2') && touched.includes('node3'), `chapter 2 types on every node: ${touched}`);
        assert.equal(
          touched.includes(OWN_MACHINE),
          (await readFile(`${ROOT}/chapters/02-setup-postgres-nodes.md`, 'utf8')).includes('\n$ '),
        );
      });
    });

    it('every chapter page has its card, and the page description is the chapter’s own first paragraph', async () => {
      for (const t of built.times) {
        const page = built.pages.find((p) => p.startsWith(`${String(t.number).padStart(2, '0')}-`));
        const html = await readFile(`${DIST}/${page}`, 'utf8');
        assert.match(html, new RegExp(`data-chapter-card="${t.number}"`), `${page} has no card`);
        assert.doesNotMatch(
          html.match(/<meta name="description" content="([^"]*)"/)?.[1] ?? '',
          /^(Time|Learning objectives|After this chapter)/,
        );
      }
    });
  });

  describe('review questions', () => {
    for (const [name, viewport] of SIZES) {
      it(`on a ${name} in dark mode: the answers are folded away until asked for`, async () => {
        await withPage({ viewport, colorScheme: 'dark' }, async (page) => {
          await open(page, url('10-failover-test.html'));
          assert.ok(await page.locator('#review-questions').isVisible());
          const details = page.locator('#review-questions ~ details');
          assert.ok((await details.count()) >= 2);
          const first = details.first();
          const answer = first.locator('p').first();
          assert.equal(await answer.isVisible(), false, 'the answer is hidden');
          await first.locator('summary').click();
          assert.ok(await answer.isVisible(), 'and shows on a tap');
          for (const c of await contrasts(page, '#review-questions ~ details summary')) assert.ok(c.ratio >= 4.5, `${c.ratio}`);
          await assertNoOverflow(page);
          await first.scrollIntoViewIfNeeded();
          await screenshot(page, `review-${name}-dark`);
        });
      });
    }
  });

  describe('Lab / Vagrant tabs', () => {
    for (const [name, viewport] of SIZES) {
      it(`on a ${name}: real tab buttons, one panel at a time, the choice kept for every page`, async () => {
        await withPage({ viewport }, async (page) => {
          await open(page, url('01-machines.html'));
          const group = page.locator('[data-tabs]').first();
          const tabs = group.locator('[role="tablist"] [role="tab"]');
          assert.deepEqual(await tabs.allTextContents(), ['Vagrant', 'Lab']);
          assert.ok(await group.locator('[role="tablist"]').isVisible());
          const [vagrant, lab] = [tabs.nth(0), tabs.nth(1)];
          const panel = async (tab: typeof vagrant) => group.locator(`#${await tab.getAttribute('aria-controls')}`);
          assert.equal(await vagrant.getAttribute('aria-selected'), 'true');
          assert.ok(await (await panel(vagrant)).isVisible());
          assert.equal(await (await panel(lab)).isVisible(), false);
          assert.ok(await (await panel(vagrant)).getByText('$ vagrant up').first().isVisible());
          const box = await lab.boundingBox();
          assert.ok(box && box.height >= 44, `a tab is a finger's size (${box?.height} px)`);
          await lab.click();
          assert.equal(await lab.getAttribute('aria-selected'), 'true');
          assert.equal(await vagrant.getAttribute('aria-selected'), 'false');
          assert.ok(await (await panel(lab)).isVisible());
          assert.equal(await (await panel(vagrant)).isVisible(), false);
          assert.ok(
            await (await panel(lab)).locator('figure.code').first().isVisible(),
            'the Lab commands, with their copy button',
          );
          await assertNoOverflow(page);
          await screenshot(page, `tabs-${name}`);
          // The keyboard: arrows move between tabs, as WAI-ARIA's tab pattern says.
          await lab.focus();
          await page.keyboard.press('ArrowRight');
          assert.equal(await vagrant.getAttribute('aria-selected'), 'true');
          assert.equal(await page.evaluate<string>('document.activeElement.textContent'), 'Vagrant');
          await page.keyboard.press('End');
          assert.equal(await lab.getAttribute('aria-selected'), 'true');
          // Chapter 15 follows the choice.
          await open(page, url('15-hardening.html'));
          const groups = page.locator('[data-tabs]');
          assert.ok((await groups.count()) >= 2, 'chapter 15 has two tab groups');
          for (const g of await groups.all()) {
            assert.equal(await g.locator('[role="tab"][aria-selected="true"]').textContent(), 'Lab');
          }
          assert.ok(
            await page.getByText('npm run lab -- exec node1 -- install -d -m 0755 /var/lib/postgresql/tls').first().isVisible(),
          );
        });
      });
    }

    it('are where the commands differ: bringing machines up (chapters 1, 11, 13) and installing the TLS files (15)', async () => {
      for (const [name, groups] of [
        ['01-machines.html', 1],
        ['11-larger-etcd-cluster.html', 1],
        ['13-second-haproxy-vip.html', 1],
        ['15-hardening.html', 2],
      ] as const) {
        const html = await readFile(`${DIST}/${name}`, 'utf8');
        assert.equal((html.match(/<div class="target-tabs" data-tabs=/g) ?? []).length, groups, name);
        assert.match(html, /data-tab="vagrant">Vagrant<\/button><button [^>]*data-tab="lab">Lab<\/button>/, name);
      }
    });

    it('in dark mode the selected tab reads at 4.5:1 or better', async () => {
      await withPage({ viewport: PHONE, colorScheme: 'dark' }, async (page) => {
        await open(page, url('15-hardening.html'));
        for (const c of await contrasts(page, '[role="tab"]'))
          assert.ok(c.ratio >= 4.5, `"${c.text}" at ${c.ratio.toFixed(2)}:1`);
        await page.locator('[data-tabs]').first().scrollIntoViewIfNeeded();
        await screenshot(page, 'tabs-phone-dark');
      });
    });

    it('without JavaScript, and on paper, every panel shows under its own title', async () => {
      await withPage({ viewport: PHONE, javaScriptEnabled: false }, async (page) => {
        await open(page, url('01-machines.html'));
        assert.equal(await page.locator('[role="tablist"]').first().isVisible(), false);
        assert.ok(await page.locator('.tab-panel-title', { hasText: 'Lab' }).first().isVisible());
        assert.ok(await page.getByText('$ npm run lab -- up').first().isVisible());
        assert.ok(await page.getByText('$ vagrant up').first().isVisible());
      });
      await withPage({ viewport: DESKTOP }, async (page) => {
        await open(page, url('01-machines.html'));
        await page.emulateMedia({ media: 'print' });
        assert.ok(await page.getByText('$ npm run lab -- up').first().isVisible(), 'print shows the hidden panel');
        assert.ok(await page.getByText('$ vagrant up').first().isVisible());
      });
    });
  });

  describe('time per chapter on the home page', () => {
    for (const [name, viewport] of SIZES) {
      for (const scheme of ['light', 'dark'] as const) {
        it(`on a ${name} in ${scheme} mode: every chapter's card shows its measured time, and the total`, async () => {
          await withPage({ viewport, colorScheme: scheme }, async (page) => {
            await open(page, url('index.html'));
            const minutes = await page
              .locator('.chapter-cards .card-minutes')
              .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-minutes'))));
            assert.deepEqual(
              minutes,
              built.times.map((t) => t.minutes),
            );
            assert.ok(await page.locator('.chapter-cards .card-minutes').first().isVisible());
            const total = built.times.reduce((sum, t) => sum + t.minutes, 0);
            assert.equal(await page.locator('.home-times').getAttribute('data-total-minutes'), String(total));
            assert.match((await page.locator('.home-times').textContent()) ?? '', new RegExp(formatMinutes(total)));
            for (const c of await contrasts(page, '.card-minutes'))
              assert.ok(c.ratio >= 4.5, `${c.text} at ${c.ratio.toFixed(2)}:1`);
            await assertNoOverflow(page);
            await page.locator('.chapter-cards').scrollIntoViewIfNeeded();
            await screenshot(page, `home-times-${name}-${scheme}`);
          });
        });
      }
    }
  });

  describe('the workshop pages', () => {
    it('are in the navigation, after the chapters, on a phone (dark mode)', async () => {
      await withPage({ viewport: PHONE, colorScheme: 'dark' }, async (page) => {
        await open(page, url('index.html'));
        await page.locator('label.nav-toggle-label').click();
        const links = page.locator('.sidebar-workshop a');
        assert.deepEqual(await links.allTextContents(), ['Cleaning up', 'Glossary', 'For the instructor']);
        await links.nth(2).click();
        await page.waitForURL(/instructor\.html$/);
        assert.equal(await page.locator('.sidebar-workshop a[aria-current="page"]').textContent(), 'For the instructor');
        await screenshot(page, 'instructor-phone-dark');
      });
    });

    it('the instructor page has the times table and the one-day and two-day schedules, built from the measured times', async () => {
      await withPage({ viewport: DESKTOP }, async (page) => {
        await open(page, url('instructor.html'));
        const total = built.times.reduce((sum, t) => sum + t.minutes, 0);
        const timesTable = page.locator('#the-times ~ .table-wrap table').first();
        assert.match((await timesTable.locator('tr').last().textContent()) ?? '', new RegExp(`${total}`));
        assert.equal(await timesTable.locator('tbody tr').count(), built.times.length + 1);
        const oneDay = page.locator('#a-one-day-workshop ~ .table-wrap').first();
        assert.match((await oneDay.textContent()) ?? '', /10\. Failover test/);
        assert.match((await oneDay.textContent()) ?? '', /lunch/);
        const text = (await page.locator('article').textContent()) ?? '';
        assert.match(text, /Day 2/);
        assert.match(text, /apt-cacher-ng/);
        assert.match(text, /WORKBOOK_APT_PROXY/);
        await page.locator('#a-one-day-workshop').scrollIntoViewIfNeeded();
        await screenshot(page, 'instructor-schedule-desktop');
      });
    });

    it('the glossary defines the workshop’s words, and chapters link into it', async () => {
      await withPage({ viewport: PHONE }, async (page) => {
        await open(page, url('glossary.html'));
        const terms = glossaryTerms(await readFile(`${ROOT}/workshop/glossary.md`, 'utf8'));
        for (const t of terms) assert.equal(await page.locator(`h3#${t.id.replace(/_/g, '\\_')}`).count(), 1, t.term);
        await open(page, url('glossary.html#split-brain'));
        assert.ok(await page.locator('#split-brain').isVisible());
        await open(page, url('cleanup.html'));
        assert.ok(await page.getByText('$ vagrant destroy -f').isVisible());
        assert.ok(await page.getByText('$ npm run lab -- down').isVisible());
        assert.match((await page.locator('article').textContent()) ?? '', /~\/\.vagrant\.d/);
        await assertNoOverflow(page);
      });
    });
  });

  describe('"Edit this page" from a configured base', () => {
    it('links chapters and workshop pages to their source (phone, dark mode)', async () => {
      await withPage({ viewport: PHONE, colorScheme: 'dark' }, async (page) => {
        for (const [name, source] of [
          ['07-start-patroni.html', 'chapters/07-start-patroni.md'],
          ['glossary.html', 'workshop/glossary.md'],
        ]) {
          await open(page, url(name));
          const link = page.locator('.page-footer a.edit-link');
          assert.equal(await link.getAttribute('href'), EDIT_URL.replace('{path}', source));
        }
      });
    });
  });
});
