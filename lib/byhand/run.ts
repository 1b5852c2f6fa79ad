import { readFile } from 'node:fs/promises';
import { type Chapter, chapterBase, markdownPath } from '../chapters/registry.ts';
import type { Host } from '../host/host.ts';
import { LocalHost } from '../host/local-host.ts';
import { ROOT } from '../paths.ts';
import type { ChapterOutcome, Say } from '../runner/apply.ts';
import { runChecks } from '../runner/checks.ts';
import { SecretScrubber } from '../secret-scrubber.ts';
import { loadSecrets, SECRET_NAMES, type Secrets, secretsFile } from '../secrets.ts';
import type { Target } from '../target.ts';
import { matchSample, screenText } from './match.ts';
import { type Command, LOCAL, parseSessions, type SessionBlock } from './parse.ts';
import { TypedShell } from './session.ts';
import { recordChapterTime } from './times.ts';

/**
 * `npm run chapter N -- --by-hand`: types the chapter's `By hand` session blocks into login
 * shells on the machines, as the attendee would, then runs the chapter's check, then types the
 * `What you should see` blocks and compares every sample with what the host answered.
 */

/** A typed line that failed: everything a person needs to find it in the chapter. */
export class ByHandError extends Error {}

const BOLD = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

/** The session blocks typed on this target, by phase. */
export function typedBlocks(blocks: readonly SessionBlock[], target: string, phase: 'by-hand' | 'see'): SessionBlock[] {
  return blocks.filter((b) => b.phase === phase && !b.skip && (!b.only || b.only.includes(target)));
}

/** The block's commands, then again on each host of `repeat` in place of the block's own host. */
export function withRepeats(block: SessionBlock): Command[] {
  const own = block.commands[0]?.host;
  const again = (block.repeat ?? []).flatMap((host) => block.commands.map((c) => (c.host === own ? { ...c, host } : c)));
  return [...block.commands, ...again];
}

/** Fills `<superuser-password>` and friends, as the chapter tells the attendee to. */
export function fillPlaceholders(text: string, secrets: Secrets | undefined): string {
  return text.replace(/<(\w+)-password>/g, (whole, name: string) => {
    if (!(SECRET_NAMES as readonly string[]).includes(name)) return whole;
    if (!secrets) throw new ByHandError(`${whole} is used before any secret exists (run \`npm run check 1\` first)`);
    return secrets[name as keyof Secrets];
  });
}

/**
 * The environment of `$ `: this process's, without what `npm run` added (npm_config_* would make
 * a typed `npm run` silent, and node_modules/.bin is not on a person's PATH). The rest stays,
 * WORKBOOK_LOCK_HELD included, so a typed `npm run check` does not wait for this run's lock.
 */
function attendeeEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^npm_/i.test(key) || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  env.PATH = (env.PATH ?? '')
    .split(':')
    .filter((dir) => dir && !/node_modules\/\.bin$|node-gyp-bin$/.test(dir))
    .join(':');
  return env;
}

class Shells {
  private readonly open = new Map<string, TypedShell>();
  constructor(
    private readonly target: Target,
    private readonly echo: (data: string) => void,
  ) {}

  async get(host: string): Promise<TypedShell> {
    const existing = this.open.get(host);
    if (existing?.alive) return existing;
    const machine: Host = host === LOCAL ? new LocalHost() : this.target.host(host);
    const login = await machine.loginShell();
    const local = host === LOCAL;
    const shell = await TypedShell.open({
      argv: login.argv,
      cwd: local ? ROOT : '/',
      // `$ ` is the attendee's own shell in the checkout: the same target, the same lock.
      env: local ? { ...attendeeEnv(), WORKBOOK_TARGET: this.target.name } : undefined,
      first: local ? `cd ${ROOT}` : 'cd ~',
    });
    shell.onOutput = this.echo;
    this.open.set(host, shell);
    return shell;
  }

  closeAll(): void {
    for (const shell of this.open.values()) shell.close();
    this.open.clear();
  }
}

async function currentSecrets(target: Target): Promise<string[]> {
  const text = await readFile(secretsFile(target.name), 'utf8').catch(() => '{}');
  try {
    return Object.values(JSON.parse(text) as Record<string, string>).filter((v) => typeof v === 'string');
  } catch {
    return [];
  }
}

function where(chapter: Chapter, command: Command): string {
  return `chapter ${chapter.number}, ${command.file}:${command.line}`;
}

function promptOf(command: Command): string {
  return command.host === LOCAL ? '$ ' : `${command.host}$ `;
}

function indent(text: string): string {
  const lines = screenText(text).replace(/\n+$/, '').split('\n');
  const shown = lines.length > 40 ? ['…', ...lines.slice(-40)] : lines;
  return shown.map((l) => `    | ${l}`).join('\n');
}

/** Full-screen programs a runner cannot type into (and a reader cannot copy from). */
const INTERACTIVE = /^(?:sudo\s+(?:-\S+\s+)*)?(nano|vi|vim|sudoedit|less|more|top|htop)\b/;

/** Types one command and judges it: exit status, `# fails:`, and its sample. */
async function typeCommand(chapter: Chapter, command: Command, shells: Shells, target: Target, say: Say): Promise<void> {
  const editor = INTERACTIVE.exec(command.text.trim());
  if (editor) {
    throw new ByHandError(
      `${where(chapter, command)}: \`${promptOf(command)}${command.text}\` opens ${editor[1]}, which cannot be typed: give the file as a typed form (<!-- include: SPEC as HOST$ sudo tee FILE >/dev/null -->, CONTRIBUTING.md), or mark the block <!-- by-hand: skip (why) -->`,
    );
  }
  const shell = await shells.get(command.host);
  const secrets = /<\w+-password>/.test(command.text + (command.input ?? '')) ? await loadSecrets(target.name) : undefined;
  const scrubber = new SecretScrubber(await currentSecrets(target));
  say(BOLD(`${promptOf(command)}${command.text}`));
  let typed: { output: string; exitCode: number };
  const input = command.input === undefined ? undefined : fillPlaceholders(command.input, secrets);
  try {
    typed = await shell.type(fillPlaceholders(command.text, secrets), {
      input,
      stuck: (out) =>
        /\[sudo\] password for|^Password(?: for user \S+)?: ?$/m.test(out) && input === undefined
          ? 'it asks for a password (the user needs passwordless sudo, or the command a `# type <…>` hint)'
          : undefined,
    });
  } catch (error) {
    throw new ByHandError(
      `${where(chapter, command)}: \`${promptOf(command)}${command.text.split('\n')[0]}\` ${scrubber.scrub((error as Error).message)}`,
    );
  }
  const output = scrubber.scrub(typed.output);
  const failed = command.fails ? typed.exitCode === 0 : typed.exitCode !== 0;
  if (failed) {
    const why = command.fails
      ? `exited with 0, but the chapter says it fails (${command.fails})`
      : `exited with ${typed.exitCode}`;
    throw new ByHandError(
      `${where(chapter, command)}: \`${promptOf(command)}${command.text.split('\n')[0]}\` ${why}; the host answered:\n${indent(output) || '    (nothing)'}`,
    );
  }
  if (command.sample.length === 0) return;
  const mismatch = matchSample(command.sample, typed.output);
  if (!mismatch) return;
  const stale =
    mismatch.sampleIndex === undefined
      ? 'the output goes on after the sample ends (end the sample with a `…` line?)'
      : `sample line ${command.file}:${command.sampleLine + mismatch.sampleIndex} \`${command.sample[mismatch.sampleIndex].trim()}\` matches nothing where it should`;
  throw new ByHandError(
    `${where(chapter, command)}: the sample under \`${promptOf(command)}${command.text.split('\n')[0]}\` is stale: ${stale}; the host answered:\n${indent(output)}`,
  );
}

export interface ByHandOptions {
  /** Receives what the hosts print, scrubbed, as it arrives. */
  echo?: (data: string) => void;
  /** The chapter's text, when not its file (the lab test breaks a line on purpose). */
  markdown?: string;
  /** Only type and compare, without running the check (the lab test of a broken sample). */
  skipCheck?: boolean;
}

/** By hand, then the check, then the samples of "What you should see". */
export async function applyByHand(
  chapter: Chapter,
  target: Target,
  say: Say,
  options: ByHandOptions = {},
): Promise<ChapterOutcome> {
  const started = Date.now();
  say(`\n▶ chapter ${chapter.number}: ${chapter.title}  (target: ${target.name}, by hand)`);
  // The lab's guard: `$ ` commands talk to lab addresses only while the lab is up.
  if (chapter.number > 1) await target.assertUp();
  const file = `chapters/${chapterBase(chapter)}.md`;
  const blocks = parseSessions(options.markdown ?? (await readFile(markdownPath(chapter), 'utf8')), file);
  for (const block of blocks.filter((b) => b.skip && b.phase)) say(`  (not typed: ${file}:${block.line}: ${block.skip})`);
  const typedText = typedBlocks(blocks, target.name, 'by-hand').flatMap((b) => b.commands.map((c) => c.text));
  if (target.name === 'lab' && typedText.some((t) => /\bapt(-get)?\s|\/usr\/sbin\//.test(t))) {
    // Where the lab cannot be a VM, say so before the commands it concerns.
    say(
      "  lab: a host's /usr/sbin is its own (policy-rc.d stays in it); its apt-get installs nothing: the machine's packages are shared",
    );
  }
  const write = options.echo ?? ((data: string) => process.stdout.write(data));
  // The next prompt starts on a line of its own, as a shell's would, even after `curl -s` output.
  let atLineStart = true;
  const echo = (data: string) => {
    if (!data) return;
    write(data);
    atLineStart = data.endsWith('\n');
  };
  // Secrets that appear while a command runs are scrubbed from the live stream too.
  const live = { scrubber: new SecretScrubber(await currentSecrets(target)) };
  const shells = new Shells(target, (data) => echo(live.scrubber.push(data)));
  let typed = 0;
  // What the attendee types, for bench/results/by-hand-times.json: lines and characters.
  const effort = { lines: 0, chars: 0 };
  try {
    const run = async (phase: 'by-hand' | 'see') => {
      for (const block of typedBlocks(blocks, target.name, phase)) {
        for (const command of withRepeats(block)) {
          live.scrubber = new SecretScrubber(await currentSecrets(target));
          try {
            await typeCommand(chapter, command, shells, target, say);
            effort.lines += command.text.split('\n').length + (command.input === undefined ? 0 : 1);
            effort.chars += command.text.length + (command.input?.length ?? 0);
          } finally {
            echo(live.scrubber.flush());
            if (!atLineStart) echo('\n');
          }
          typed++;
        }
      }
    };
    await run('by-hand');
    say(`  typed ${typed} command(s) by hand; checking chapter ${chapter.number}…`);
    const passed = options.skipCheck || (await runChecks([chapter], target.name));
    if (!passed) throw new ByHandError(`chapter ${chapter.number}: the check failed after the by-hand commands`);
    const before = typed;
    await run('see');
    const seconds = (Date.now() - started) / 1000;
    await recordChapterTime(chapter.number, { seconds, ...effort }, target.name);
    say(
      `✔ chapter ${chapter.number} done by hand in ${seconds.toFixed(1)} s (${before} typed, check green, ${typed - before} sample command(s) matched)`,
    );
    return { chapter, changes: typed, passed: true, seconds };
  } catch (error) {
    if (!(error instanceof ByHandError)) throw error;
    say(`✘ ${error.message}`);
    return { chapter, changes: typed, passed: false, seconds: (Date.now() - started) / 1000 };
  } finally {
    shells.closeAll();
  }
}
