// `npm run fuzz`: the route fuzzer with a fresh random seed and 20 000 requests (FUZZ_RUNS to change). The seed
// is printed first, so a failure can be replayed exactly: `FUZZ_SEED=<seed> npm run fuzz`.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';

const seed = process.env.FUZZ_SEED ?? String(randomInt(2 ** 31 - 1));
const runs = process.env.FUZZ_RUNS ?? '20000';
console.log(`fuzz: ${runs} generated requests, seed ${seed} (replay with FUZZ_SEED=${seed} npm run fuzz)`);
const result = spawnSync('npx', ['vitest', 'run', 'test/scale/fuzz.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_SEED: seed, FUZZ_RUNS: runs },
});
console.log(`fuzz: seed ${seed}, ${result.status === 0 ? 'passed' : 'FAILED'}`);
process.exit(result.status ?? 1);
