import { relative, resolve } from 'node:path';
import { parseCommandLine, wholeNumber } from '../parse-args.ts';
import { ROOT } from '../paths.ts';
import { UsageError } from '../usage-error.ts';

export interface SiteArgs {
  chaptersDir: string;
  outDir: string;
  recordingsDir: string;
  search: boolean;
  port: number;
  /**
   * "Edit this page": `--edit-url TEMPLATE` (or WORKBOOK_EDIT_URL), an https address with `{path}`
   * for the page's repository path; `--no-edit-url` leaves the link out. Unset: package.json's
   * `repository` decides (lib/site/edit-url.ts).
   */
  editUrl?: string | null;
}

export const SITE_USAGE =
  'usage: npm run site|site:serve -- [CHAPTERS_DIR] [--chapters DIR (chapters/)] [--out DIR (site/dist/)] [--recordings DIR (site/recordings/)] [--no-search] [--port N (site:serve, 4173)] [--edit-url https://…/{path} | --no-edit-url (default: WORKBOOK_EDIT_URL, else package.json repository)]';

const SITE_OPTIONS = {
  chapters: { type: 'string' },
  out: { type: 'string' },
  recordings: { type: 'string' },
  'no-search': { type: 'boolean' },
  port: { type: 'string' },
  'edit-url': { type: 'string' },
  'no-edit-url': { type: 'boolean' },
} as const;

/** An edit address template: https (or http), with `{path}` where the page's repository path goes. */
export function checkEditUrl(template: string): string {
  let url: URL | undefined;
  try {
    url = new URL(template.replace('{path}', 'x'));
  } catch {}
  if (!url || !['https:', 'http:'].includes(url.protocol) || !template.includes('{path}')) {
    throw new UsageError(
      `--edit-url needs an http(s) address with {path} for the page's file, e.g. https://example.org/workbook/edit/main/{path}; got ${template}. ${SITE_USAGE}`,
    );
  }
  return template;
}

/** The options shared by `npm run site` and `npm run site:serve`. */
export function parseSiteArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): SiteArgs {
  const { values, positionals } = parseCommandLine(argv, SITE_OPTIONS, SITE_USAGE);
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]}. ${SITE_USAGE}`);
  const chapters = values.chapters ?? positionals[0];
  const editTemplate = values['edit-url'] ?? env.WORKBOOK_EDIT_URL;
  return {
    chaptersDir: chapters ? resolve(chapters) : `${ROOT}/chapters`,
    outDir: values.out ? resolve(values.out) : `${ROOT}/site/dist`,
    recordingsDir: values.recordings ? resolve(values.recordings) : `${ROOT}/site/recordings`,
    search: !values['no-search'],
    port: wholeNumber('port', values.port, 0, 65535, 4173),
    editUrl: values['no-edit-url'] ? null : editTemplate ? checkEditUrl(editTemplate) : undefined,
  };
}

/** A path as a person wants to read it: relative when it is under the current folder. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}
