import { relative, resolve } from 'node:path';
import { ROOT } from '../paths.ts';

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
  'options: --chapters DIR (chapters/)  --out DIR (site/dist/)  --recordings DIR (site/recordings/)  --no-search  --port N (site:serve, 4173)  --edit-url https://…/{path} | --no-edit-url (default: WORKBOOK_EDIT_URL, else package.json repository)';

export class SiteUsageError extends Error {}

/** The options shared by `npm run site` and `npm run site:serve`. */
/** An edit address template: https (or http), with `{path}` where the page's repository path goes. */
export function checkEditUrl(template: string): string {
  let url: URL | undefined;
  try {
    url = new URL(template.replace('{path}', 'x'));
  } catch {}
  if (!url || !['https:', 'http:'].includes(url.protocol) || !template.includes('{path}')) {
    throw new SiteUsageError(
      `--edit-url needs an http(s) address with {path} for the page's file, e.g. https://example.org/workbook/edit/main/{path}; got ${template}. ${SITE_USAGE}`,
    );
  }
  return template;
}

export function parseSiteArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): SiteArgs {
  const args: SiteArgs = {
    chaptersDir: `${ROOT}/chapters`,
    outDir: `${ROOT}/site/dist`,
    recordingsDir: `${ROOT}/site/recordings`,
    search: true,
    port: 4173,
  };
  if (env.WORKBOOK_EDIT_URL) args.editUrl = checkEditUrl(env.WORKBOOK_EDIT_URL);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (!v) throw new SiteUsageError(`${arg} needs a value. ${SITE_USAGE}`);
      return v;
    };
    if (arg === '--chapters') args.chaptersDir = resolve(value());
    else if (arg === '--out') args.outDir = resolve(value());
    else if (arg === '--recordings') args.recordingsDir = resolve(value());
    else if (arg === '--no-search') args.search = false;
    else if (arg === '--edit-url') args.editUrl = checkEditUrl(value());
    else if (arg === '--no-edit-url') args.editUrl = null;
    else if (arg === '--port') args.port = Number(value());
    else if (!arg.startsWith('-') && i === 0) args.chaptersDir = resolve(arg);
    else throw new SiteUsageError(`unknown option ${arg}. ${SITE_USAGE}`);
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535)
    throw new SiteUsageError(`--port must be 0-65535. ${SITE_USAGE}`);
  return args;
}

/** A path as a person wants to read it: relative when it is under the current folder. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}
