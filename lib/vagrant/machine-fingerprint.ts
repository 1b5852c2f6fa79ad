import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

/** Vagrant's per-project state folder (.vagrant, or $VAGRANT_DOTFILE_PATH). */
export function vagrantDotfileDir(projectDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const custom = env.VAGRANT_DOTFILE_PATH;
  if (!custom) return join(projectDir, '.vagrant');
  return isAbsolute(custom) ? custom : join(projectDir, custom);
}

/**
 * A digest of what vagrant records about each machine (.vagrant/machines/NAME/PROVIDER/*:
 * its id, its key, its last provisioning): it changes when a machine is created, destroyed or
 * re-created, which is when a cached `vagrant ssh-config` goes stale. Cheap: no vagrant call.
 */
export async function machinesFingerprint(dotfileDir: string): Promise<string> {
  const hash = createHash('sha256');
  const machinesDir = join(dotfileDir, 'machines');
  for (const machine of await list(machinesDir)) {
    for (const provider of await list(join(machinesDir, machine))) {
      const dir = join(machinesDir, machine, provider);
      for (const file of await list(dir)) {
        const info = await stat(join(dir, file)).catch(() => undefined);
        if (info?.isFile()) hash.update(`${machine}/${provider}/${file} ${info.size} ${info.mtimeMs}\n`);
      }
    }
  }
  return hash.digest('hex');
}

async function list(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).sort();
}
