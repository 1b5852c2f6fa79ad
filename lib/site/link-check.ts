import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { decodeHtml } from './html.ts';
import { listFiles } from './walk.ts';

export interface LinkProblem {
  page: string;
  link: string;
  problem: string;
}

export interface LinkReport {
  pages: number;
  links: number;
  problems: LinkProblem[];
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const ATTRIBUTE = /\s(href|src|data-cast)="([^"]*)"/g;
const ID = /\sid="([^"]+)"/g;

/** The ids a page defines: the targets its `#anchors` may point at. */
export function pageIds(html: string): Set<string> {
  return new Set([...html.matchAll(ID)].map((m) => decodeHtml(m[1])));
}

/** Where the page points: links, scripts, stylesheets, images, recordings. */
export function pageLinks(html: string): { attribute: string; url: string; tag: string }[] {
  const out: { attribute: string; url: string; tag: string }[] = [];
  for (const m of html.matchAll(ATTRIBUTE)) {
    const tagStart = html.lastIndexOf('<', m.index);
    const tag = /^<([a-z0-9-]+)/i.exec(html.slice(tagStart))?.[1]?.toLowerCase() ?? '';
    out.push({ attribute: m[1], url: decodeHtml(m[2]), tag });
  }
  return out;
}

/**
 * Checks every page of a built site: each relative link, script, stylesheet and recording must
 * name a file of the site, each `#anchor` an id on the target page, and nothing the page loads
 * may come from the network (classrooms are offline).
 */
export async function checkLinks(outDir: string): Promise<LinkReport> {
  const files = await listFiles(outDir);
  const present = new Set(files);
  const pages = files.filter((f) => f.endsWith('.html') && !f.startsWith('pagefind/'));
  const html = new Map(await Promise.all(pages.map(async (p) => [p, await readFile(join(outDir, p), 'utf8')] as const)));
  const ids = new Map([...html].map(([p, text]) => [p, pageIds(text)]));
  const problems: LinkProblem[] = [];
  let links = 0;
  for (const [page, text] of html) {
    for (const { attribute, url, tag } of pageLinks(text)) {
      links++;
      const report = (problem: string) => problems.push({ page, link: url, problem });
      if (url === '' || url === '#') {
        report('empty link');
        continue;
      }
      if (SCHEME.test(url)) {
        const loads = attribute === 'src' || attribute === 'data-cast' || tag === 'link';
        if (loads && !url.startsWith('data:')) report('loads a resource from the network: the site must work offline');
        continue;
      }
      if (url.startsWith('/')) {
        report('root-absolute link: use a relative link so the site works from any folder');
        continue;
      }
      const [pathPart, hash] = url.split('#', 2) as [string, string | undefined];
      const path = pathPart.split('?')[0];
      let target = page;
      if (path) {
        target = posix.normalize(posix.join(posix.dirname(page), decodeURIComponent(path)));
        if (target.endsWith('/')) target += 'index.html';
        if (target.startsWith('..')) {
          report('points outside the site');
          continue;
        }
        if (!present.has(target)) {
          report(`no such file in the site: ${target}`);
          continue;
        }
      }
      if (hash !== undefined && target.endsWith('.html')) {
        const id = decodeURIComponent(hash);
        if (!ids.get(target)?.has(id)) report(`no element with id "${id}" in ${target}`);
      }
    }
  }
  return { pages: pages.length, links, problems };
}

export function formatProblems(problems: LinkProblem[]): string {
  return problems.map((p) => `${p.page}: ${p.link}: ${p.problem}`).join('\n');
}
