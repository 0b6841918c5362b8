// `node scripts/line-length.ts` (part of `npm run lint`): lists every line over 120 characters in the git-tracked
// .ts and .js files under src, test, examples, bench and scripts, as `file:line (length)`, and exits 1 if there is
// one. Biome wraps code at 120 columns but leaves long comments, strings and template literals alone, and it does
// not read the fixtures that tests take as input; this catches those too.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const limit = 120;
const folders = ['src', 'test', 'examples', 'bench', 'scripts'];

const files = execFileSync('git', ['ls-files', '-z', '--', ...folders], { encoding: 'utf8' })
  .split('\0')
  .filter(file => /\.(ts|js)$/.test(file) && existsSync(file));
let found = 0;
for (const file of files) {
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .forEach((line, index) => {
      // Characters, not UTF-16 code units: an emoji or a non-BMP letter counts once.
      const length = [...line].length;
      if (length <= limit) return;
      console.log(`${file}:${index + 1} (${length})`);
      found++;
    });
}
if (found > 0) console.error(`${found} ${found === 1 ? 'line is' : 'lines are'} over ${limit} characters.`);
process.exit(found > 0 ? 1 : 0);
