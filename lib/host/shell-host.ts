import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { FileOptions, Host, LoginShell, RunOptions, RunResult, Services } from './host.ts';
import { sh } from './shell.ts';

/**
 * What every target shares: files are read and written through `run`, so a target only has
 * to provide a way to run a command line on the host and its service manager.
 */
export abstract class ShellHost implements Host {
  abstract readonly services: Services;

  constructor(
    readonly name: string,
    readonly address: string,
  ) {}

  abstract run(command: string, options?: RunOptions): Promise<RunResult>;

  async loginShell(): Promise<LoginShell> {
    throw new Error(`${this.name}: no login shell to type into on this kind of host`);
  }

  async readFile(path: string): Promise<string | undefined> {
    const result = await this.run(sh`if [ -e ${path} ]; then cat ${path}; else exit 3; fi`, { check: false });
    if (result.exitCode === 3) return undefined;
    if (result.exitCode !== 0) throw new Error(`on ${this.name}: cannot read ${path}: ${result.stderr.trim()}`);
    return result.stdout;
  }

  async writeFile(path: string, content: string, options: FileOptions = {}): Promise<boolean> {
    const owner = options.owner ?? 'root';
    const group = options.group ?? (options.owner ? options.owner : 'root');
    const mode = (options.mode ?? '0644').replace(/^0(?=\d{3}$)/, '');
    const wanted = `${owner}:${group}:${mode} ${createHash('sha256').update(content).digest('hex')}`;
    const current = await this.run(
      sh`if [ -e ${path} ]; then printf '%s ' "$(stat -c '%U:%G:%a' ${path})"; sha256sum < ${path} | cut -d' ' -f1; fi`,
      { check: false },
    );
    if (current.stdout.trim() === wanted) return false;
    // Written beside the target and renamed, so a reader never sees half a file.
    await this.run(
      sh`mkdir -p ${posix.dirname(path)} && tmp=$(mktemp ${path}.XXXXXX) && cat > "$tmp" && chown ${`${owner}:${group}`} "$tmp" && chmod ${mode} "$tmp" && mv -f "$tmp" ${path}`,
      { input: content },
    );
    return true;
  }
}
