import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir } from 'node:fs/promises';
import { scaled } from '../time-scale.ts';
import type { SshConfigEntry } from './ssh-config.ts';

/**
 * ssh connection sharing (ControlMaster): the first command to a machine opens one ssh
 * connection that stays open for a while, and every later command rides on it (about 0.01 s
 * instead of a new handshake).
 *
 * A control socket's path must fit in sun_path (104 bytes on macOS, 108 on Linux), and ssh
 * first binds a temporary name 17 characters longer. The sockets live under .workbook/ when
 * that is short enough, else in a private folder under /tmp.
 */
const SUN_PATH_MAX = 104;
const TEMP_SUFFIX = '.XXXXXXXXXXXXXXXX'.length;
/** Long enough for "vagrant-haproxynode2" and friends. */
const LONGEST_SOCKET_NAME = 24;

export function chooseControlDir(preferred: string, uid: number, fallbackBase = '/tmp'): string {
  if (preferred.length + 1 + LONGEST_SOCKET_NAME + TEMP_SUFFIX < SUN_PATH_MAX) return preferred;
  const tag = createHash('sha256').update(preferred).digest('hex').slice(0, 8);
  return `${fallbackBase}/ha-workbook-${uid}-${tag}`;
}

/** Makes the folder, private to this user (a control socket is as good as a logged-in session). */
export async function ensureControlDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await lstat(dir);
  const uid = process.getuid?.();
  if (!info.isDirectory() || (uid !== undefined && info.uid !== uid)) {
    throw new Error(`${dir} must be a folder of yours for ssh's control sockets: remove it and try again`);
  }
  if ((info.mode & 0o077) !== 0) await chmod(dir, 0o700);
}

/**
 * The `Host *` block appended to every generated ssh config: connection sharing and quick
 * detection of a machine that went away (scaled with WORKBOOK_TIME_SCALE). `prefix` keeps the
 * targets' sockets apart.
 */
export function sharingOptions(controlDir: string, prefix: string): SshConfigEntry {
  return {
    patterns: ['*'],
    options: [
      ['ControlMaster', 'auto'],
      ['ControlPath', `${controlDir.replaceAll('%', '%%')}/${prefix}-%n`],
      ['ControlPersist', '10m'],
      ['ServerAliveInterval', '5'],
      // 15 s of silence ends the connection; an emulated VM busy with dpkg can be silent longer.
      ['ServerAliveCountMax', String(scaled(3))],
    ],
  };
}
