import { statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { relative } from 'node:path';
import { ROOT, STATE_DIR } from './paths.ts';

/** Who this process runs as, for messages: "nobody (uid 65534)". */
export function currentUser(): string {
  const uid = process.getuid?.();
  let name = 'this user';
  try {
    name = userInfo().username;
  } catch {}
  return uid === undefined ? name : `${name} (uid ${uid})`;
}

function ownerName(uid: number): string {
  if (uid === 0) return 'root';
  try {
    if (uid === process.getuid?.()) return userInfo().username;
  } catch {}
  return `uid ${uid}`;
}

/** A path as a person types it from the repository's folder. */
export function shown(path: string): string {
  const rel = relative(ROOT, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/**
 * Why this process may not read or write a path, in words, with the command that fixes it:
 * usually the workbook once ran with sudo (or as root) and its files now belong to root.
 */
export function accessProblem(path: string, verb: 'read' | 'write'): string {
  let detail = '';
  let owner: string | undefined;
  for (let p = path; p && p !== '/'; p = p.replace(/\/[^/]*$/, '') || '/') {
    try {
      const s = statSync(p);
      owner = ownerName(s.uid);
      detail = `${p === path ? 'it' : shown(p)} belongs to ${owner}, mode ${(s.mode & 0o777).toString(8).padStart(4, '0')}`;
      break;
    } catch {}
  }
  const fix =
    owner === 'root'
      ? `Run the command with sudo, as the earlier runs were, or make the workbook's state yours: \`sudo chown -R $(id -un) ${shown(STATE_DIR)}\``
      : 'Run it as the user who made it.';
  return `${shown(path)} cannot be ${verb === 'read' ? 'read' : 'written'} by ${currentUser()}: ${detail}. ${fix}`;
}

export function isAccessError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EPERM';
}
