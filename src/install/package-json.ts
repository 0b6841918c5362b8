import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextStep } from './next-steps.ts';

const dependencySections = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

export interface PackageJsonChange {
  path: string;
  before: string;
  after: string;
}

/**
 * Pins the app's `@mikro-orm/*` dependencies to the exact version mikro-multi-account's peer dependencies ask
 * for: MikroORM's packages peer-depend on each other's exact version, so `^7.2.1` can install a mix that does
 * not load. Only ranges that include that version are rewritten; any other version is left as it is and reported.
 */
export function pinMikroOrm(cwd: string, nextSteps: NextStep[]): PackageJsonChange | undefined {
  const path = join(cwd, 'package.json');
  if (!existsSync(path)) return undefined;
  const before = readFileSync(path, 'utf8');
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(before) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const wanted = requiredMikroOrmVersion();
  if (!wanted) return undefined;
  const pinned: string[] = [];
  for (const section of dependencySections) {
    const dependencies = manifest[section];
    if (!dependencies || typeof dependencies !== 'object') continue;
    for (const [name, range] of Object.entries(dependencies as Record<string, unknown>)) {
      if (!name.startsWith('@mikro-orm/') || typeof range !== 'string' || range === wanted) continue;
      if (rangeIncludes(range, wanted)) {
        (dependencies as Record<string, string>)[name] = wanted;
        pinned.push(`${name} ${range} → ${wanted}`);
      } else {
        nextSteps.push({
          message:
            `package.json asks for ${name} ${range}: mikro-multi-account needs MikroORM ${wanted} exactly ` +
            `(its packages peer-depend on exact versions); install ${name}@${wanted}.`,
          file: path,
        });
      }
    }
  }
  if (pinned.length === 0) return undefined;
  nextSteps.push({
    message:
      'Pinned MikroORM to the exact version mikro-multi-account is built for ' +
      `(its packages peer-depend on exact versions): ${pinned.join(', ')}. ` +
      'Run `npm install` to update the lockfile.',
    file: path,
  });
  const indentation = /^[ \t]+(?=")/m.exec(before)?.[0] ?? '  ';
  const newline = before.includes('\r\n') ? '\r\n' : '\n';
  const json = JSON.stringify(manifest, null, indentation).replace(/\n/g, newline);
  const after = `${json}${before.endsWith('\n') ? newline : ''}`;
  return { path, before, after };
}

/** The exact `@mikro-orm/core` version of mikro-multi-account's own peer dependencies. */
export function requiredMikroOrmVersion(): string | undefined {
  for (let folder = dirname(fileURLToPath(import.meta.url)); ; folder = dirname(folder)) {
    const path = join(folder, 'package.json');
    if (existsSync(path)) {
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as {
        name?: string;
        peerDependencies?: Record<string, string>;
      };
      if (manifest.name === 'mikro-multi-account') {
        const version = manifest.peerDependencies?.['@mikro-orm/core'];
        return version && /^\d+\.\d+\.\d+$/.test(version) ? version : undefined;
      }
    }
    if (dirname(folder) === folder) return undefined;
  }
}

/** Whether the npm range `range` (`^7.2.1`, `~7.2.0`, `7.x`, `>=7.0.0`, `7.2.1`) lets `version` in. */
export function rangeIncludes(range: string, version: string): boolean {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  const parts = (text: string) => text.split('.').map(part => (/^(x|\*|X)?$/.test(part) ? undefined : Number(part)));
  const compare = (a: (number | undefined)[], b: number[]) => {
    for (let i = 0; i < 3; i++) {
      const value = a[i] ?? 0;
      if (value !== b[i]) return value < b[i]! ? -1 : 1;
    }
    return 0;
  };
  const target = [major, minor, patch];
  const trimmed = range.trim().replace(/^v/, '');
  if (trimmed === '*' || trimmed === '' || trimmed === 'x') return true;
  let match = /^\^(\d+(?:\.[\dxX*]+){0,2})$/.exec(trimmed);
  if (match) {
    const [a, b, c] = parts(match[1]!);
    if (a !== major) return false;
    if (a === 0) return b === minor && compare([a, b, c], target) <= 0;
    return compare([a, b, c], target) <= 0;
  }
  match = /^~(\d+(?:\.[\dxX*]+){0,2})$/.exec(trimmed);
  if (match) {
    const [a, b, c] = parts(match[1]!);
    return a === major && (b === undefined || b === minor) && compare([a, b, c], target) <= 0;
  }
  match = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(trimmed);
  if (match) return compare(parts(match[1]!), target) <= 0;
  match = /^(\d+|x|X|\*)(?:\.(\d+|x|X|\*))?(?:\.(\d+|x|X|\*))?$/.exec(trimmed);
  if (match) {
    const [a, b, c] = parts(trimmed);
    return [a, b, c].every((value, index) => value === undefined || value === target[index]);
  }
  return false;
}
