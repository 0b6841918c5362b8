import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The code blocks of a page marked `<!-- <marker>: path -->`: the files of an app it writes out. */
export function markedFiles(page: string, marker: 'guide' | 'file'): { path: string; text: string }[] {
  const text = readFileSync(join(repositoryRoot, page), 'utf8');
  const pattern = new RegExp(`<!-- ${marker}: (\\S+) -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\\n\`\`\``, 'g');
  return [...text.matchAll(pattern)].map(([, path, body]) => ({ path: path!, text: body! }));
}
