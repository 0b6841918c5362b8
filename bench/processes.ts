import { execFile, fork, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { InstanceSpec, InstanceUsage } from './instance.ts';
import type { LoadResult, LoadSpec } from './load.ts';

const script = (name: string) => fileURLToPath(new URL(`./${name}.js`, import.meta.url));

/** An app instance running in its own process (bench/instance.ts). */
export class Instance {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  /**
   * `under`: a command the instance's Node.js runs under, with its arguments and Node's own flags (valgrind, in
   * `bench:instructions`).
   */
  static async start(spec: InstanceSpec, under?: { command: string[]; nodeFlags: string[] }): Promise<Instance> {
    const args = [script('instance'), JSON.stringify(spec)];
    const stdio = ['ignore', 'inherit', 'inherit', 'ipc'] as const;
    const child = under
      ? spawn(under.command[0]!, [...under.command.slice(1), process.execPath, ...under.nodeFlags, ...args], {
          stdio: [...stdio],
        })
      : fork(args[0]!, args.slice(1), { stdio: [...stdio] });
    const { url } = await new Promise<{ url: string }>((resolve, reject) => {
      child.once('message', message => resolve(message as { url: string }));
      child.once('exit', code => reject(new Error(`a bench instance exited with ${code} before listening`)));
    });
    return new Instance(child, url);
  }

  /** CPU time used and SQL statements run since the process started. */
  usage(): Promise<InstanceUsage> {
    return new Promise(resolve => {
      this.child.once('message', message => resolve(message as InstanceUsage));
      this.child.send('usage');
    });
  }

  /** Starts a CPU profile, or stops it and writes it to `file`. */
  profile(question: { profile: 'start' } | { profile: 'stop'; file: string }): Promise<void> {
    return new Promise(resolve => {
      this.child.once('message', () => resolve());
      this.child.send(question);
    });
  }

  async close(): Promise<void> {
    const exited = new Promise(resolve => this.child.once('exit', resolve));
    this.child.send('close');
    await exited;
  }
}

/** Runs the load generator (bench/load.ts) in a process of its own and returns what it measured. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const { stdout } = await promisify(execFile)(process.execPath, [script('load'), JSON.stringify(spec)], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as LoadResult;
}
