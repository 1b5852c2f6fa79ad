import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The drill charts (lib/drill/chart.ts) are drawn for white paper. Copied into the site, each
 * gets a stylesheet that redraws it for a dark screen when the reader's browser prefers one:
 * an SVG shown by an <img> follows the page's colour scheme. Data colours keep their hue and
 * become lighter, so that they stand out on the dark background as they do on the white one.
 */
export const DARK_CHART_COLOURS: Record<string, string> = {
  // background, text, grid
  '#ffffff': '#1b1b1f',
  '#0f172a': '#eceef2',
  '#334155': '#cdd3dc',
  '#475569': '#aab3c0',
  '#64748b': '#98a2b3',
  '#94a3b8': '#6b7789',
  '#cbd5e1': '#4a5568',
  '#e2e8f0': '#343a46',
  '#fee2e2': '#4a1f24',
  // data
  '#2563eb': '#6ea8ff',
  '#0d9488': '#2dd4bf',
  '#9333ea': '#c084fc',
  '#ca8a04': '#facc15',
  '#db2777': '#f472b6',
  '#dc2626': '#f87171',
  '#b91c1c': '#fca5a5',
  '#7c3aed': '#a78bfa',
  '#15803d': '#4ade80',
  '#0f766e': '#5eead4',
};

export function darkChartStyle(): string {
  const rules = Object.entries(DARK_CHART_COLOURS)
    .flatMap(([light, dark]) => [`[fill="${light}" i]{fill:${dark}}`, `[stroke="${light}" i]{stroke:${dark}}`])
    .join('');
  return `<style>@media (prefers-color-scheme: dark){${rules}}</style>`;
}

/** The chart with its dark-screen stylesheet, right after the opening <svg> tag. */
export function withDarkStyle(svg: string): string {
  if (svg.includes('data-workbook-dark')) return svg;
  return svg.replace(
    /<svg\b[^>]*>/,
    (open) => `${open}\n${darkChartStyle().replace('<style>', '<style data-workbook-dark="">')}`,
  );
}

/** Copies every chart of `from` into `to`, each with its dark-screen stylesheet. */
export async function copyCharts(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const name of await readdir(from)) {
    const text = await readFile(join(from, name), name.endsWith('.svg') ? 'utf8' : undefined);
    await writeFile(join(to, name), typeof text === 'string' ? withDarkStyle(text) : text);
  }
}
