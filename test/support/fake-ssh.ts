import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';

/**
 * An `ssh` put first on PATH: it logs its arguments, fails to connect as many times as the
 * file `fail` says, answers the reachability probe as a machine of the IP plan would, and
 * otherwise runs the remote command line here with sh, as sshd would.
 */
const SCRIPT = `#!/bin/bash
dir=$(dirname "$0")
echo "begin $$ $*" >> "$dir/log"
for a in "$@"; do if [ "$a" = "-O" ]; then echo "end $$" >> "$dir/log"; exit 0; fi; done
exec 9>"$dir/lock"; flock 9
n=$(cat "$dir/fail" 2>/dev/null || echo 0)
[ "$n" -gt 0 ] && echo $((n - 1)) > "$dir/fail"
flock -u 9
if [ "$n" -gt 0 ]; then
  echo "ssh: connect to host 192.168.56.11 port 22: Connection refused" >&2
  echo "end $$" >> "$dir/log"
  exit 255
fi
remote="\${@: -1}"
alias="\${@: -2:1}"
if [[ "$remote" == *"hostname; ip -4 -o addr show"* ]]; then
  echo "$alias"; echo "2: eth1    inet $(cat "$dir/address-$alias" 2>/dev/null)/24 brd 192.168.56.255 scope global eth1"
  echo "end $$" >> "$dir/log"
  exit 0
fi
sleep 0.05
sh -c "$remote"
code=$?
echo "end $$" >> "$dir/log"
exit $code
`;

export class FakeSsh {
  private savedPath?: string;
  private constructor(readonly dir: string) {}

  static async install(): Promise<FakeSsh> {
    const fake = new FakeSsh(await mkdtemp(`${tmpdir()}/wb-fake-ssh-`));
    await writeFile(`${fake.dir}/ssh`, SCRIPT);
    await chmod(`${fake.dir}/ssh`, 0o755);
    fake.savedPath = process.env.PATH;
    process.env.PATH = `${fake.dir}:${fake.savedPath}`;
    return fake;
  }

  /** The next n connections fail as if the machine were down. */
  failTimes(n: number): Promise<void> {
    return writeFile(`${this.dir}/fail`, String(n));
  }

  /** The private address this machine reports to the probe. */
  setAddress(alias: string, address: string): Promise<void> {
    return writeFile(`${this.dir}/address-${alias}`, address);
  }

  async log(): Promise<string[]> {
    return (await readFile(`${this.dir}/log`, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean);
  }

  async remove(): Promise<void> {
    process.env.PATH = this.savedPath;
    await rm(this.dir, { recursive: true, force: true });
  }
}
