import type { FileOptions, Host, RunOptions, RunResult } from './host/host.ts';
import { sh } from './host/shell.ts';
import { type HostSpec, POSTGRES_NODES } from './ip-plan.ts';
import { installScript, missingPackages } from './packages.ts';
import type { Secrets } from './secrets.ts';
import type { Target } from './target.ts';

/** A file of a service's configuration, as StepHost.configure writes it. */
export interface ConfigFile {
  path: string;
  content: string;
  options?: FileOptions;
}

/**
 * A host as a step sees it: the same operations, and every one that changes the machine
 * is reported, so a second run of an idempotent step can prove it changed nothing.
 */
export class StepHost {
  constructor(
    private readonly host: Host,
    private readonly target: Target,
    private readonly record: (host: string, what: string) => void,
  ) {}

  get name(): string {
    return this.host.name;
  }

  get address(): string {
    return this.host.address;
  }

  /** A command that only looks. */
  query(command: string, options?: RunOptions): Promise<RunResult> {
    return this.host.run(command, options);
  }

  /**
   * A command that only looks, written as a template whose values are quoted (lib/host/shell.ts
   * `sh`): await node.$`stat -c '%U %a' ${dir}`. For options or a change, use query or change
   * with sh`…`.
   */
  $(pieces: TemplateStringsArray, ...values: readonly unknown[]): Promise<RunResult> {
    return this.query(sh(pieces, ...values));
  }

  /** A command that changes the machine: it is reported as a change. */
  async change(what: string, command: string, options?: RunOptions): Promise<RunResult> {
    const result = await this.host.run(command, options);
    this.record(this.name, what);
    return result;
  }

  readFile(path: string): Promise<string | undefined> {
    return this.host.readFile(path);
  }

  async writeFile(path: string, content: string, options?: FileOptions): Promise<boolean> {
    const changed = await this.host.writeFile(path, content, options);
    if (changed) this.record(this.name, `wrote ${path}`);
    return changed;
  }

  /** apt-get install, of what is missing only. Returns true when it installed anything. */
  async install(packages: readonly string[]): Promise<boolean> {
    const missing = await missingPackages((c, o) => this.query(c, o), packages);
    if (missing.length === 0) return false;
    if (this.target.packagesPreinstalled) {
      throw new Error(
        `${missing.join(' ')} missing on ${this.name}: the ${this.target.name} installs packages itself, run \`npm run lab -- up\``,
      );
    }
    await this.change(`installed ${missing.join(' ')}`, installScript(missing), { stream: true });
    return true;
  }

  async start(unit: string): Promise<boolean> {
    const changed = await this.host.services.start(unit);
    if (changed) this.record(this.name, `started ${unit}`);
    return changed;
  }

  async stop(unit: string): Promise<boolean> {
    const changed = await this.host.services.stop(unit);
    if (changed) this.record(this.name, `stopped ${unit}`);
    return changed;
  }

  async restart(unit: string): Promise<void> {
    await this.host.services.restart(unit);
    this.record(this.name, `restarted ${unit}`);
  }

  async reload(unit: string): Promise<void> {
    await this.host.services.reload(unit);
    this.record(this.name, `reloaded ${unit}`);
  }

  async enable(unit: string): Promise<boolean> {
    const changed = await this.host.services.enable(unit);
    if (changed) this.record(this.name, `enabled ${unit}`);
    return changed;
  }

  /**
   * A service's configuration, applied: write the files; when one changed and the service
   * runs, reload it (or restart it, for a service that rereads nothing on reload), else start
   * it (nothing when it runs already); then enable it. `check` runs after the files are
   * written and before the service sees them (`haproxy -c …`); `start: false` neither starts nor
   * enables it (Patroni before chapter 7). Returns true when a file changed.
   */
  async configure(
    unit: string,
    files: readonly ConfigFile[],
    options: { check?: string; apply?: 'reload' | 'restart'; start?: boolean } = {},
  ): Promise<boolean> {
    let changed = false;
    for (const file of files) if (await this.writeFile(file.path, file.content, file.options)) changed = true;
    if (options.check) await this.query(options.check);
    const manage = options.start !== false;
    if (changed && (await this.isRunning(unit))) await (options.apply === 'restart' ? this.restart(unit) : this.reload(unit));
    else if (manage) await this.start(unit);
    if (manage) await this.enable(unit);
    return changed;
  }

  async isRunning(unit: string): Promise<boolean> {
    return (await this.host.services.status(unit)) === 'running';
  }

  async daemonReload(): Promise<void> {
    await this.host.services.daemonReload();
  }
}

export interface StepContext {
  target: Target;
  secrets: Secrets;
  /** The host by name. */
  host(name: string): StepHost;
  /** node1, node2, node3. */
  nodes: StepHost[];
  /** Narration for the person watching: what is happening now. */
  say(line: string): void;
  /** Records a change made some other way than through a StepHost. */
  changed(where: string, what: string): void;
}

export type Step = (ctx: StepContext) => Promise<void>;

/** Marks a module's default export as a chapter's step script. */
export function defineStep(step: Step): Step {
  return step;
}

export interface StepRun {
  changes: { host: string; what: string }[];
}

export async function runStep(step: Step, target: Target, secrets: Secrets, say: (line: string) => void): Promise<StepRun> {
  const changes: StepRun['changes'] = [];
  const record = (host: string, what: string) => {
    changes.push({ host, what });
    say(`  ${host}: ${what}`);
  };
  const cache = new Map<string, StepHost>();
  const host = (name: string) => {
    let h = cache.get(name);
    if (!h) {
      h = new StepHost(target.host(name), target, record);
      cache.set(name, h);
    }
    return h;
  };
  const byName = (specs: readonly HostSpec[]) => specs.map((s) => host(s.name));
  await step({
    target,
    secrets,
    host,
    nodes: byName(POSTGRES_NODES),
    say: (line) => say(`  ${line}`),
    changed: record,
  });
  return { changes };
}
