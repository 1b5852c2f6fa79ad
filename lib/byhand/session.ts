import { type IPty, spawn } from 'node-pty';
import { scaled } from '../time-scale.ts';

/**
 * One login shell in a pseudo-terminal, typed into as a person types: the command line goes
 * in, the host's answer comes out. A command's end and exit status are found by an invisible
 * marker: the shell's PROMPT_COMMAND prints an OSC escape (`ESC ] 777 ; wb ; STATUS BEL`) that
 * a terminal ignores. Echo is off and the prompts are empty, so what comes out between two
 * markers is exactly what the command printed, stdout and stderr interleaved as on a screen.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: the marker is an escape sequence
const MARKER = /\x1b\]777;wb;(\d+)\x07/;
const MARKER_START = '\x1b]777;';
/** Set once the login shell is up; printf's status is the command's, as the prompt is drawn. */
const SETUP = `stty -echo; unset HISTFILE; PS1=; PS2=; PROMPT_COMMAND='printf "\\033]777;wb;%s\\007" $?'`;

export interface ShellOptions {
  /** argv that starts an interactive login shell (bash --login --noediting -i) on the host. */
  argv: readonly string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Typed right after the setup, e.g. `cd ~`. */
  first?: string;
}

export interface Typed {
  output: string;
  exitCode: number;
}

export class ShellGoneError extends Error {}

/** The last line on the screen so far, escapes removed (a prompt is written without a newline). */
function screenTail(output: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal output is made of control characters
  const plain = output.replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '').replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '');
  return plain.slice(plain.lastIndexOf('\n') + 1);
}

export class TypedShell {
  private buffer = '';
  private waiter?: () => void;
  private exited?: number;
  /** Receives what the host prints as it arrives (markers removed). */
  onOutput: (data: string) => void = () => {};

  private constructor(private readonly pty: IPty) {
    pty.onData((data) => {
      this.buffer += data;
      this.waiter?.();
    });
    pty.onExit(({ exitCode }) => {
      this.exited = exitCode;
      this.waiter?.();
    });
  }

  static async open(options: ShellOptions, timeoutMs = 60_000): Promise<TypedShell> {
    const [file, ...args] = options.argv;
    const pty = spawn(file, args, {
      name: 'xterm-256color',
      cols: 120,
      rows: 40,
      cwd: options.cwd ?? '/',
      env: { ...(options.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin' }), TERM: 'xterm-256color' },
    });
    const shell = new TypedShell(pty);
    pty.write(`${SETUP}\n`);
    const ready = await shell.until(scaled(timeoutMs), () => false);
    if (ready.exitCode !== 0) {
      shell.close();
      throw new ShellGoneError(`the login shell did not start: ${ready.output.trim().slice(-500)}`);
    }
    if (options.first) await shell.type(options.first, { quiet: true });
    return shell;
  }

  /**
   * Types a command (and, when given, the line it reads) and waits for its end. `stuck` looks
   * at the output so far and returns a reason to give up early (a password prompt, say).
   */
  async type(
    text: string,
    options: {
      input?: string;
      quiet?: boolean;
      idleMs?: number;
      stuck?: (output: string) => string | undefined;
    } = {},
  ): Promise<Typed> {
    this.pty.write(`${text}\n`);
    const answer = options.input === undefined ? undefined : this.answerer(options.input);
    // Like every timeout that waits on the machines, scaled by WORKBOOK_TIME_SCALE (lib/time-scale.ts).
    return this.until(scaled(options.idleMs ?? 240_000), options.stuck ?? (() => undefined), options.quiet ?? false, answer);
  }

  /**
   * Types `input` as a person does: when the command asks (its output so far ends with a
   * prompt such as `Password for user postgres: `), once per prompt, at most three times; or,
   * when it asks silently (`read -rs`), after a second without any output. Typed any earlier,
   * the line would be lost: psql and sudo flush what waits on the terminal before they read.
   */
  private answerer(input: string): (output: string | undefined) => void {
    let answeredAt = 0;
    let times = 0;
    let silent: NodeJS.Timeout | undefined;
    const type = (at: number) => {
      clearTimeout(silent);
      answeredAt = at;
      times++;
      this.pty.write(`${input}\n`);
    };
    return (output) => {
      clearTimeout(silent);
      if (output === undefined || times >= 3) return;
      const fresh = screenTail(output.slice(answeredAt));
      if (/\S[^\n]*[:?]\s*$/.test(fresh)) type(output.length);
      else if (times === 0 && !fresh.trim()) silent = setTimeout(() => times === 0 && type(output.length), 1000);
    };
  }

  /** Waits for the next marker; fails after idleMs without any output, or when stuck() says so. */
  private until(
    idleMs: number,
    stuck: (output: string) => string | false | undefined,
    quiet = true,
    /** Sees the output as it grows; undefined once the command is over. */
    answer?: (output: string | undefined) => void,
  ): Promise<Typed> {
    let shown = 0;
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          this.waiter = undefined;
          answer?.(undefined);
          this.pty.write('\x03');
          reject(new Error(`no answer for ${Math.round(idleMs / 1000)} s (stopped it with Ctrl-C); so far:\n${this.buffer}`));
        }, idleMs);
      };
      const check = () => {
        arm();
        const m = MARKER.exec(this.buffer);
        const visible = m ? this.buffer.slice(0, m.index) : this.buffer;
        // Hold back what may be the start of a marker split across two reads.
        const partial = m ? -1 : visible.lastIndexOf(MARKER_START.slice(0, 1));
        const upTo = m || partial < 0 ? visible.length : partial;
        if (!quiet && upTo > shown) this.onOutput(visible.slice(shown, upTo));
        shown = Math.max(shown, upTo);
        if (m) {
          clearTimeout(timer);
          answer?.(undefined);
          this.waiter = undefined;
          this.buffer = this.buffer.slice(m.index + m[0].length);
          resolve({ output: visible, exitCode: Number(m[1]) });
          return;
        }
        if (this.exited !== undefined) {
          clearTimeout(timer);
          answer?.(undefined);
          this.waiter = undefined;
          resolve({ output: this.buffer, exitCode: this.exited === 0 ? 0 : this.exited || 1 });
          return;
        }
        answer?.(this.buffer);
        const why = stuck(this.buffer);
        if (why) {
          clearTimeout(timer);
          answer?.(undefined);
          this.waiter = undefined;
          this.pty.write('\x03');
          reject(new Error(`${why}; the host printed:\n${this.buffer}`));
        }
      };
      this.waiter = check;
      check();
    });
  }

  get alive(): boolean {
    return this.exited === undefined;
  }

  close(): void {
    if (this.exited !== undefined) return;
    try {
      this.pty.write('exit\n');
      const pty = this.pty;
      setTimeout(() => {
        if (this.exited === undefined) pty.kill();
      }, 2000).unref();
    } catch {
      // Already gone.
    }
  }
}
