import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const mainScript = join(root, 'dist/examples/demo/main.js');

export interface DemoProcess {
  url: string;
  stop(): Promise<void>;
}

/** Starts the compiled demo (what `npm start` runs) as its own process on a free port, and waits until it serves. */
export async function startDemoProcess(env: Record<string, string>): Promise<DemoProcess> {
  if (!existsSync(mainScript))
    throw new Error('dist/examples/demo/main.js is missing: `npm test` compiles it first (tspc -p tsconfig.json).');
  const child: ChildProcess = spawn(process.execPath, [mainScript], {
    cwd: root,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /mikro-multi-account demo: (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`the demo exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    stop: () =>
      new Promise(resolve => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
