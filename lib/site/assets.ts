import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from '../paths.ts';
import { copyCharts } from './charts.ts';

const require = createRequire(import.meta.url);

/** The site's own static files: stylesheet, script, icon. */
export const ASSETS_DIR = join(ROOT, 'site', 'assets');

/** Files from npm packages, served from the site itself so that nothing is fetched from the network. */
const VENDOR: Record<string, string> = {
  'asciinema-player.min.js': 'asciinema-player/dist/bundle/asciinema-player.min.js',
  'asciinema-player.css': 'asciinema-player/dist/bundle/asciinema-player.css',
  'fonts/inter-latin-wght-normal.woff2': '@fontsource-variable/inter/files/inter-latin-wght-normal.woff2',
  'fonts/inter-latin-wght-italic.woff2': '@fontsource-variable/inter/files/inter-latin-wght-italic.woff2',
  'fonts/jetbrains-mono-latin-wght-normal.woff2':
    '@fontsource-variable/jetbrains-mono/files/jetbrains-mono-latin-wght-normal.woff2',
  'fonts/LICENSE-inter.txt': '@fontsource-variable/inter/LICENSE',
  'fonts/LICENSE-jetbrains-mono.txt': '@fontsource-variable/jetbrains-mono/LICENSE',
};

/** Failover drill charts that chapters show (chapter 16), copied to `drills/` (see md-images). */
export const DRILL_CHARTS_DIR = join(ROOT, 'site', 'drills');

export async function copyAssets(outDir: string): Promise<void> {
  const target = join(outDir, 'assets');
  await cp(ASSETS_DIR, target, { recursive: true });
  if (existsSync(DRILL_CHARTS_DIR)) await copyCharts(DRILL_CHARTS_DIR, join(outDir, 'drills'));
  await mkdir(join(target, 'fonts'), { recursive: true });
  await Promise.all(Object.entries(VENDOR).map(([to, from]) => copyFile(require.resolve(from), join(target, to))));
}

/** Copies the chapters' recordings that the pages use. */
export async function copyRecordings(recordingsDir: string, names: string[], outDir: string): Promise<void> {
  if (names.length === 0) return;
  const target = join(outDir, 'recordings');
  await mkdir(target, { recursive: true });
  const present = new Set(await readdir(recordingsDir));
  await Promise.all(names.filter((n) => present.has(n)).map((n) => copyFile(join(recordingsDir, n), join(target, n))));
}
