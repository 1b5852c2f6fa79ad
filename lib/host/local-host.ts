import { userInfo } from 'node:os';
import type { LoginShell, RunOptions, RunResult, Services } from './host.ts';
import { runProcess } from './run-process.ts';
import { ShellHost } from './shell-host.ts';

/**
 * The machine this process runs on, as a Host: the lab installs packages through it, and the
 * lab's systemctl shim runs inside a host through it.
 */
export class LocalHost extends ShellHost {
  get services(): Services {
    throw new Error('the local machine runs no workbook services');
  }

  constructor(name = 'this machine') {
    super(name, '127.0.0.1');
  }

  /** `$ ` in the chapters: the attendee's own machine, as the current user. */
  async loginShell(): Promise<LoginShell> {
    return { user: userInfo().username, argv: ['bash', '--login', '--noediting', '-i'] };
  }

  run(command: string, options: RunOptions = {}): Promise<RunResult> {
    const argv = options.user
      ? ['runuser', '-u', options.user, '--', 'bash', '--norc', '-c', command]
      : ['bash', '--norc', '-c', command];
    return runProcess(this.name, argv, command, options);
  }
}
