import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { ROOT } from '../../lib/paths.ts';
import { buildSite } from '../../lib/site/build.ts';

/** Debian's chromium (CI installs the `chromium` package); CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const ARTIFACTS = `${ROOT}/artifacts/site`;

export interface Browser {
  context: BrowserContext;
  /** Requests the pages tried to make to anything but 127.0.0.1: there must be none. */
  external: string[];
  close(): Promise<void>;
}

type ContextOptions = NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]>;

/** A Chromium with a fresh, empty profile; every request that would leave 127.0.0.1 is refused and noted. */
export async function openBrowser(options: ContextOptions = {}): Promise<Browser> {
  const profile = await mkdtemp(`${tmpdir()}/workbook-chromium-`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 800 },
    ...options,
  });
  const external: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('http://127.0.0.1:') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    external.push(url);
    return route.abort('blockedbyclient');
  });
  return {
    context,
    external,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** What went wrong while a page was open: console errors, uncaught exceptions, failed or 4xx/5xx requests. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return problems;
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage });
}

/** The two screens the site is judged on. */
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1440, height: 900 };

/** Opens a page and waits until it has settled (scripts run, fonts loaded). */
export async function open(page: Page, target: string): Promise<void> {
  await page.goto(target, { waitUntil: 'load' });
  await page.evaluate('document.fonts.ready');
}

/** Opens a browser with the options, runs the body on a fresh page, checks nothing went wrong, closes it. */
export async function withPage(
  options: Parameters<typeof openBrowser>[0],
  body: (page: Page, browser: Browser) => Promise<void>,
): Promise<void> {
  const browser = await openBrowser(options);
  try {
    const page = await browser.context.newPage();
    const problems = watchProblems(page);
    await body(page, browser);
    // Going on to the next page cancels what the last one still loaded (its icon): not a problem.
    const real = problems.filter((p) => !p.endsWith('(net::ERR_ABORTED)'));
    assert.deepEqual(real, [], 'no console error, no failed request');
    assert.deepEqual(browser.external, [], 'a page tried to reach the network');
  } finally {
    await browser.close();
  }
}

export const FIXTURES = `${ROOT}/test/fixtures/site`;
/** The site of the real chapters, as `npm run site` built it. */
export const REAL_DIST = process.env.SITE_DIST ?? `${ROOT}/site/dist`;

/** Builds the fixture chapters into `outDir`, and makes sure the real site was built (by `npm run site`). */
export async function buildFixtureSite(outDir: string, editUrl?: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await buildSite({
    chaptersDir: `${FIXTURES}/chapters`,
    recordingsDir: `${FIXTURES}/recordings`,
    outDir,
    secrets: [],
    ...(editUrl ? { editUrl } : {}),
  });
  assert.ok(existsSync(`${REAL_DIST}/index.html`), `${REAL_DIST} has no site: run npm run site first (npm run test:site does)`);
}
