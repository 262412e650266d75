// Every invalid campaign fixture marks the diagnostics it must produce, on the line they point at:
//   `# ERROR: CODE` or `# WARNING: CODE` (several codes comma-separated) at the end of the line;
//   `# ERROR@+N: CODE` / `# ERROR@-N: CODE` for the line N below / above (a line inside a block scalar,
//   or a diagnostic on line 1, cannot carry its own comment);
//   `# fixture-existing: a/b, c/d` treats those addresses as already in state.
// A folder in invalid/ is one fixture made of several files. The diagnostics produced must equal the
// marked ones exactly: same file, line, severity and code, none missing, none extra.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCampaigns } from '../src/campaign/load-campaigns.js';
import { formatDiagnostic } from '../src/diagnostics/diagnostic.js';

const ROOT = join(import.meta.dirname, '..');
const INVALID = join(ROOT, 'test/fixtures/campaigns/invalid');
const NOW = Date.parse('2026-11-22T12:00:00+08:00');
const MARKER = /#\s*(ERROR|WARNING)(@[+-]\d+)?:\s*([A-Z0-9_]+(?:\s*,\s*[A-Z0-9_]+)*)\s*$/;
const EXISTING = /#\s*fixture-existing:\s*(.+)$/;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(dir, f))
    .sort();
}

function expectations(files: string[]): { expected: string[]; existing: Set<string> } {
  const expected: string[] = [];
  const existing = new Set<string>();
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const m = MARKER.exec(line);
      if (m) {
        const target = i + 1 + Number(m[2]?.slice(1) ?? 0);
        for (const code of (m[3] ?? '').split(',')) {
          expected.push(`${relative(INVALID, file)}:${target} ${m[1]?.toLowerCase()} ${code.trim()}`);
        }
      }
      const e = EXISTING.exec(line);
      if (e) for (const a of (e[1] ?? '').split(',')) existing.add(a.trim());
    });
  }
  return { expected: expected.sort(), existing };
}

const fixtures = readdirSync(INVALID)
  .filter((name) => /\.ya?ml$/.test(name) || statSync(join(INVALID, name)).isDirectory())
  .sort();

describe('invalid campaign fixtures', () => {
  it('has at least 40 fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
  });

  it.each(fixtures)('%s produces exactly the marked diagnostics', async (name) => {
    const path = join(INVALID, name);
    const files = statSync(path).isDirectory() ? yamlFiles(path) : [path];
    const { expected, existing } = expectations(files);
    expect(expected.length, 'a fixture marks at least one diagnostic').toBeGreaterThan(0);
    const result = await loadCampaigns({
      cwd: INVALID,
      rootDir: INVALID,
      patterns: [],
      paths: [name],
      now: NOW,
      existing,
    });
    const actual = result.diagnostics
      .map((d) => `${d.position?.file}:${d.position?.line} ${d.severity} ${d.code}`)
      .sort();
    expect(actual, result.diagnostics.map(formatDiagnostic).join('\n')).toEqual(expected);
    for (const d of result.diagnostics) {
      expect(d.message.length, d.code).toBeGreaterThan(10);
      expect(d.hint?.length ?? 0, `${d.code} has a hint`).toBeGreaterThan(10);
    }
  });

  it('cover the codes users hit most often', () => {
    const marked = new Set<string>();
    for (const name of fixtures) {
      const path = join(INVALID, name);
      const files = statSync(path).isDirectory() ? yamlFiles(path) : [path];
      for (const e of expectations(files).expected) marked.add(e.split(' ')[2] ?? '');
    }
    for (const code of [
      'TEMPLATE_NAME_TOO_LONG',
      'TEMPLATE_UNKNOWN_CATEGORY',
      'TEMPLATE_TOO_MANY_CATEGORIES',
      'TEMPLATE_START_AFTER_END',
      'TEMPLATE_START_IN_PAST',
      'TEMPLATE_BTN_URL_REQUIRED',
      'TEMPLATE_ORDER_LINK_SCHEME',
      'TEMPLATE_TYPE_PRODUCT_MISMATCH',
      'DUPLICATE_ADDRESS',
      'YAML_DUPLICATE_KEY',
      'YAML_SYNTAX',
      'PASS_TEMPLATE_NOT_FOUND',
      'RECIPIENTS_NOT_FOUND',
      'RECIPIENTS_NO_ID_COLUMN',
      'CAMPAIGN_UNKNOWN_FIELD',
      'CAMPAIGN_MISSING_FIELD',
      'DATE_NO_OFFSET',
    ]) {
      expect(marked, code).toContain(code);
    }
  });
});

describe('example campaigns', () => {
  it('produce no diagnostics at all before their start dates', async () => {
    const result = await loadCampaigns({ cwd: ROOT, rootDir: ROOT, patterns: ['campaigns'], now: NOW });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(result.counts.files).toBeGreaterThanOrEqual(2);
    expect(result.set.templates.length).toBe(result.counts.templates);
    expect(result.set.passes.length).toBe(result.counts.passes);
    expect(result.set.passes.length).toBeGreaterThanOrEqual(1);
    expect(result.set.templates.some((t) => t.status === 'paused')).toBe(true);
  });
});
