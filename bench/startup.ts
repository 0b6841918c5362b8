import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { StartupRun } from './startup-run.ts';

export interface StartupFigure {
  pairs: number;
  /** The link tables declared by hand, no library. */
  handDeclaredMs: number;
  /** The link tables generated: discovery, the library's transform and its verification. */
  generatedMs: number;
  /** What the library adds: the difference of the two medians. */
  ownShareMs: number;
  /** Of it, the time inside the library's own code (its discovery hooks), median. */
  libraryCodeMs: number;
}

const script = fileURLToPath(new URL('./startup-run.js', import.meta.url));

/** One `MikroORM.init` in a fresh process, as an app starts: nothing warmed up by an earlier run. */
async function startOnce(pairs: number, side: 'hand-declared' | 'generated'): Promise<StartupRun> {
  const { stdout } = await promisify(execFile)(process.execPath, [script, String(pairs), side]);
  return JSON.parse(stdout) as StartupRun;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Median of `runs` fresh processes each way, interleaved, so one slow start does not decide the figure. */
export async function measureStartup(sizes = [10, 100, 500], runs = 7): Promise<StartupFigure[]> {
  const figures: StartupFigure[] = [];
  for (const pairs of sizes) {
    const plain: StartupRun[] = [];
    const multi: StartupRun[] = [];
    for (let attempt = 0; attempt < runs; attempt++) {
      plain.push(await startOnce(pairs, 'hand-declared'));
      multi.push(await startOnce(pairs, 'generated'));
    }
    const [handDeclaredMs, generatedMs] = [median(plain.map(run => run.initMs)), median(multi.map(run => run.initMs))];
    const libraryCodeMs = median(multi.map(run => run.libraryCodeMs));
    figures.push({
      pairs,
      handDeclaredMs: Math.round(handDeclaredMs),
      generatedMs: Math.round(generatedMs),
      ownShareMs: Math.round(generatedMs - handDeclaredMs),
      libraryCodeMs: Math.round(libraryCodeMs),
    });
  }
  return figures;
}
