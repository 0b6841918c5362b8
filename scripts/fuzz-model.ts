// `npm run fuzz:model`: the model-based test (test/scale/model.test.ts) with a fresh random seed, 20 runs of 60
// steps each on every database and session store (MODEL_RUNS, MODEL_STEPS to change). The seed is printed first, so
// a failure can be replayed exactly: `MODEL_SEED=<seed> npm run fuzz:model` (MODEL_DATABASES=sqlite,postgresql to
// run on those only).
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';

const seed = process.env.MODEL_SEED ?? String(randomInt(2 ** 31 - 1));
const runs = process.env.MODEL_RUNS ?? '20';
const steps = process.env.MODEL_STEPS ?? '60';
console.log(
  `fuzz:model: ${runs} runs of ${steps} steps, seed ${seed} (replay with MODEL_SEED=${seed} npm run fuzz:model)`,
);
const result = spawnSync('npx', ['vitest', 'run', 'test/scale/model.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, MODEL_SEED: seed, MODEL_RUNS: runs, MODEL_STEPS: steps },
});
console.log(`fuzz:model: seed ${seed}, ${result.status === 0 ? 'passed' : 'FAILED'}`);
process.exit(result.status ?? 1);
