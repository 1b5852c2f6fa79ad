import type { RunOptions, RunResult, Services } from './host.ts';
import { runProcess } from './run-process.ts';
import { ShellHost } from './shell-host.ts';

/** This machine itself, as a Host: the lab uses it to install packages before any lab host exists. */
export class LocalHost extends ShellHost {
  get services(): Services {
    throw new Error('the local machine runs no workbook services');
  }

  constructor() {
    super('this machine', '127.0.0.1');
  }

  run(command: string, options: RunOptions = {}): Promise<RunResult> {
    const argv = options.user ? ['runuser', '-u', options.user, '--', 'bash', '-c', command] : ['bash', '-c', command];
    return runProcess(this.name, argv, command, options);
  }
}

