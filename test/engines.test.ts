// Every installed package admits the Node version the README promises (package.json's engines floor):
// `npm install` on that Node must not warn EBADENGINE. Read from package-lock.json, with a small range
// check (npm's semver is not a dependency of ours).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
type Version = [number, number, number];

/** "20", "20.19", "10.x" → the lowest version it names and how many parts it gave. */
function partial(text: string): { v: Version; given: number } {
  const parts = text.split('.').filter((p) => p !== '' && p !== 'x' && p !== '*');
  const n = parts.map(Number);
  return { v: [n[0] ?? 0, n[1] ?? 0, n[2] ?? 0], given: parts.length };
}

const cmp = (a: Version, b: Version): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** The version just above everything `text` names ("20" → 21.0.0, "20.19" → 20.20.0). */
function above({ v, given }: { v: Version; given: number }): Version {
  if (given <= 1) return [v[0] + 1, 0, 0];
  if (given === 2) return [v[0], v[1] + 1, 0];
  return [v[0], v[1], v[2] + 1];
}

function comparator(version: Version, text: string): boolean {
  const m = /^(>=|<=|>|<|\^|~|=)?v?(.*)$/.exec(text);
  const op = m?.[1] ?? '';
  const p = partial(m?.[2] ?? '');
  if (p.given === 0) return op === '' || op === '>=' || op === '=';
  switch (op) {
    case '>=':
      return cmp(version, p.v) >= 0;
    case '>':
      return cmp(version, p.given === 3 ? p.v : above(p)) >= (p.given === 3 ? 1 : 0);
    case '<':
      return cmp(version, p.v) < 0;
    case '<=':
      return cmp(version, above(p)) < 0;
    case '^':
      return cmp(version, p.v) >= 0 && cmp(version, p.v[0] > 0 ? [p.v[0] + 1, 0, 0] : above(p)) < 0;
    case '~':
      return cmp(version, p.v) >= 0 && cmp(version, above({ v: p.v, given: Math.min(p.given, 2) })) < 0;
    default:
      return cmp(version, p.v) >= 0 && cmp(version, above(p)) < 0;
  }
}

/** Whether `version` satisfies an npm range of `||` alternatives of space-separated comparators. */
function admits(range: string, version: string): boolean {
  const v = partial(version).v;
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/([<>=^~]+)\s+/g, '$1')
      .split(/\s+/)
      .every((c) => comparator(v, c)),
  );
}

describe('the Node floor', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const floor = /^>=\s*(\d+\.\d+)$/.exec(pkg.engines.node)?.[1] ?? '';

  it('is what the README names', () => {
    expect(floor).toMatch(/^\d+\.\d+$/);
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`Node.js ${floor} or newer`);
  });

  it('reads npm ranges as npm does', () => {
    const cases: [string, string, boolean][] = [
      ['>= 24.0.0', '20.19.0', false],
      ['>=20.19', '20.19.0', true],
      ['>=20.18.1', '20.19.0', true],
      ['^20.19.0 || >=22.12.0', '20.19.0', true],
      ['^20.19.0 || >=22.12.0', '21.0.0', false],
      ['^20.0.0 || ^22.0.0 || >=24.0.0', '20.19.0', true],
      ['^10 || ^12 || >=14', '20.19.0', true],
      ['^18.17.0', '20.19.0', false],
      ['>= 10.x', '20.19.0', true],
      ['> 20', '20.19.0', false],
      ['>20.0.0', '20.19.0', true],
      ['<20.19', '20.19.0', false],
      ['20', '20.19.0', true],
      ['~20.18.0', '20.19.0', false],
      ['*', '20.19.0', true],
    ];
    for (const [range, version, expected] of cases) expect(admits(range, version), range).toBe(expected);
  });

  it('is admitted by every package in package-lock.json', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
    const refusing = Object.entries(
      lock.packages as Record<string, { version?: string; engines?: unknown }>,
    ).flatMap(([path, p]) => {
      const node = (p.engines as { node?: unknown } | undefined)?.node;
      return typeof node === 'string' && !admits(node, `${floor}.0`)
        ? [`${path || 'ipass'}@${p.version}: engines.node "${node}"`]
        : [];
    });
    expect(refusing, `These packages refuse Node ${floor}; pin a version that admits it`).toEqual([]);
  });
});
