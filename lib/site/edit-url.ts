import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../paths.ts';

/**
 * "Edit this page" links. The address comes from package.json's `repository` field, never from a
 * guess: a repository on a host whose edit pages are known (GitHub, GitLab, Codeberg) gives a
 * template with `{path}` for the file's path in the repository; anything else gives none, and
 * the pages have no link.
 */

export const EDIT_BRANCH = 'main';

const HOSTS: Record<string, (base: string, branch: string) => string> = {
  'github.com': (base, branch) => `${base}/edit/${branch}/`,
  'gitlab.com': (base, branch) => `${base}/-/edit/${branch}/`,
  'codeberg.org': (base, branch) => `${base}/_edit/${branch}/`,
};

const SHORTHAND: Record<string, string> = { github: 'github.com', gitlab: 'gitlab.com' };

/** `{ host, path }` of a repository as npm writes it: a URL, `git@host:owner/name.git`, `github:owner/name` or `owner/name`. */
function parseRepository(spec: string): { host: string; path: string } | undefined {
  const text = spec.trim();
  const short = /^(?:(github|gitlab):)?([\w.-]+\/[\w.-]+)$/.exec(text);
  if (short) return { host: SHORTHAND[short[1] ?? 'github'], path: short[2] };
  const scp = /^[\w.-]+@([\w.-]+):([\w./-]+)$/.exec(text);
  if (scp) return { host: scp[1].toLowerCase(), path: scp[2] };
  try {
    const url = new URL(text.replace(/^git\+/, ''));
    return { host: url.hostname.toLowerCase(), path: url.pathname.replace(/^\/+/, '') };
  } catch {
    return undefined;
  }
}

/** The edit address template for package.json's `repository` value, or undefined. */
export function editUrlTemplate(repository: unknown, branch = EDIT_BRANCH): string | undefined {
  const spec =
    typeof repository === 'string'
      ? { url: repository }
      : repository && typeof repository === 'object'
        ? (repository as { url?: unknown; directory?: unknown })
        : undefined;
  if (!spec || typeof spec.url !== 'string') return undefined;
  const parsed = parseRepository(spec.url);
  const edit = parsed && HOSTS[parsed.host];
  const path = parsed?.path.replace(/\.git$/, '').replace(/\/+$/, '');
  if (!edit || !path || !/^[\w.-]+\/[\w.-]+$/.test(path)) return undefined;
  const directory = typeof spec.directory === 'string' ? spec.directory.replace(/^\/+|\/+$/g, '') : '';
  return `${edit(`https://${parsed.host}/${path}`, branch)}${directory ? `${directory}/` : ''}{path}`;
}

/** The template from this repository's package.json. */
export async function packageEditUrl(root = ROOT): Promise<string | undefined> {
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { repository?: unknown };
  return editUrlTemplate(pkg.repository);
}

/** A page's edit address: the template with the source's repository path filled in. */
export function editUrlFor(template: string | undefined, path: string | undefined): string | undefined {
  if (!template || !path) return undefined;
  return template.replace('{path}', path.split('/').map(encodeURIComponent).join('/'));
}
