// The campaign schema itself: every property described (editor tooltips), every limit of the
// createTemplate document present, lengths counted in characters, generated types in step.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignSchema } from '../src/campaign/campaign-schema.js';
import { parseCampaignFile } from '../src/campaign/parse-campaign-file.js';

type Node = Record<string, unknown>;
const definitions = campaignSchema.definitions as unknown as Record<string, Node>;

function resolve(node: Node): Node {
  const ref = node.$ref as string | undefined;
  return ref ? (definitions[ref.replace('#/definitions/', '')] ?? node) : node;
}

/** Every named property anywhere in the schema, with the path that leads to it. */
function properties(node: unknown, at: string, out: [string, Node][] = []): [string, Node][] {
  if (Array.isArray(node)) {
    for (const [i, n] of node.entries()) properties(n, `${at}[${i}]`, out);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node as Node)) {
      if (key === 'properties' && value && typeof value === 'object') {
        for (const [name, schema] of Object.entries(value as Node))
          out.push([`${at}.${name}`, schema as Node]);
      }
      properties(value, `${at}.${key}`, out);
    }
  }
  return out;
}

const ROOT = join(import.meta.dirname, '..');

describe('campaign schema', () => {
  it('describes every property a user can write', () => {
    const user = properties({ properties: campaignSchema.properties, definitions }, '#').filter(
      ([path]) => !path.includes('CompleteTemplate') && !/\.(if|then|else|dependencies)\b/.test(path),
    );
    expect(user.length).toBeGreaterThan(50);
    const undescribed = user.filter(([, schema]) => !schema.description && !resolve(schema).description);
    expect(undescribed.map(([path]) => path)).toEqual([]);
  });

  it('carries the per-locale length limits of the createTemplate document', () => {
    const limits = (def: string) =>
      Object.fromEntries(
        Object.entries(definitions[def]?.properties as Record<string, Node>)
          .filter(([, s]) => s.maxLength !== undefined)
          .map(([name, s]) => [name, s.maxLength]),
      );
    expect(limits('LocaleTextZhHK')).toEqual({
      name: 25,
      subName: 400,
      description: 4000,
      shops: 1000,
      brandName: 32,
    });
    expect(limits('LocaleTextEnUS')).toEqual({
      name: 50,
      subName: 400,
      description: 3000,
      shops: 800,
      brandName: 64,
    });
    expect(limits('CustomTabZhHK')).toEqual({ label: 20 });
    expect(limits('CustomTabEnUS')).toEqual({ label: 40 });
    const spec = definitions.TemplateSpec?.properties as Record<string, Node>;
    expect([spec.stock?.minimum, spec.stock?.maximum]).toEqual([1, 1_000_000]);
    expect([spec.currentAmountCent?.maximum, spec.originalAmountCent?.maximum]).toEqual([
      100_000_000, 100_000_000,
    ]);
    expect([spec.categories?.maxItems, spec.bizMids?.maxItems]).toEqual([2, 30]);
  });

  it('counts lengths in characters, an emoji or a Chinese character being one', () => {
    const file = (name: string) => `templates:
  t:
    localeInfo:
      zh_HK: { name: "${name}" }
`;
    const codes = (name: string) =>
      parseCampaignFile(file(name), { file: 'f.yaml', dir: '/', cwd: '/' }).diagnostics.map((d) => d.code);
    expect(codes('😀'.repeat(25))).not.toContain('TEMPLATE_NAME_TOO_LONG');
    expect(codes('咖'.repeat(25))).not.toContain('TEMPLATE_NAME_TOO_LONG');
    expect(codes('😀'.repeat(26))).toContain('TEMPLATE_NAME_TOO_LONG');
  });

  it('matches the committed generated types', () => {
    const r = spawnSync(process.execPath, ['scripts/gen-types.mjs', '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.status, `gen-types --check failed (npm run gen:types):\n${r.stdout}${r.stderr}`).toBe(0);
  });
});
