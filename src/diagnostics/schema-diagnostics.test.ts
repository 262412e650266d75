import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { schemaErrorsToDiagnostics } from './schema-diagnostics.js';
import { parseYamlSource } from './yaml-source.js';

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'size'],
  properties: {
    name: { type: 'string', maxLength: 3, 'x-codes': { maxLength: 'TEMPLATE_NAME_TOO_LONG' } },
    size: { type: 'integer' },
    items: {
      type: 'object',
      propertyNames: { pattern: '^[a-z]+$', 'x-codes': { pattern: 'TEMPLATE_BAD_KEY' } },
      additionalProperties: { type: 'object', required: ['a', 'b'] },
    },
  },
};
const validate = ajv.compile(schema);

function check(text: string) {
  const src = parseYamlSource(text, 'f.yaml');
  validate(src.value);
  return schemaErrorsToDiagnostics(validate.errors ?? [], src.value, src.locate, { prefix: 'CAMPAIGN' });
}

describe('schemaErrorsToDiagnostics', () => {
  it('names the expected kinds when a field allows several types', () => {
    const several = ajv.compile({ type: 'object', properties: { when: { type: ['string', 'integer'] } } });
    const src = parseYamlSource('when: 1.5\n', 'f.yaml');
    several(src.value);
    const [d] = schemaErrorsToDiagnostics(several.errors ?? [], src.value, src.locate, {
      prefix: 'CAMPAIGN',
    });
    expect(d?.code).toBe('CAMPAIGN_WRONG_TYPE');
    expect(d?.message).toContain('text or a whole number');
  });

  it('takes specific codes from x-codes next to the failing keyword', () => {
    const [d] = check('name: abcd\nsize: 1\n');
    expect([d?.code, d?.position?.line, d?.path]).toEqual(['TEMPLATE_NAME_TOO_LONG', 1, '/name']);
  });

  it('keeps the generic code when x-codes names a code that is not in the list of codes', () => {
    const odd = ajv.compile({
      type: 'object',
      properties: { n: { maxLength: 1, 'x-codes': { maxLength: 'NOT_A_CODE' } } },
    });
    const src = parseYamlSource('n: ab\n', 'f.yaml');
    odd(src.value);
    const [d] = schemaErrorsToDiagnostics(odd.errors ?? [], src.value, src.locate, { prefix: 'CAMPAIGN' });
    expect(d?.code).toBe('CAMPAIGN_OUT_OF_RANGE');
  });

  it('reports every missing field of a mapping, on the mapping key', () => {
    const ds = check('name: ab\nsize: 1\nitems:\n  x:\n    c: 1\n');
    expect(ds.map((d) => [d.code, d.position?.line, d.position?.col])).toEqual([
      ['CAMPAIGN_MISSING_FIELD', 4, 3],
      ['CAMPAIGN_MISSING_FIELD', 4, 3],
    ]);
    expect(ds.map((d) => d.message).join(' ')).toMatch(/`a`.*`b`/);
  });

  it('places a bad mapping key on the key itself, once', () => {
    const ds = check('name: ab\nsize: 1\nitems:\n  Bad_Key: { a: 1, b: 2 }\n');
    expect(ds.map((d) => [d.code, d.path, d.position?.line, d.position?.col])).toEqual([
      ['TEMPLATE_BAD_KEY', '/items/Bad_Key', 4, 3],
    ]);
  });

  it('passes the current diagnostic to refine, which may change code, message and hint', () => {
    const src = parseYamlSource('name: abcd\nsize: x\n', 'f.yaml');
    validate(src.value);
    const ds = schemaErrorsToDiagnostics(validate.errors ?? [], src.value, src.locate, {
      prefix: 'CAMPAIGN',
      refine: (_e, path, _value, current) =>
        path[0] === 'size' ? { hint: `was ${current.code}` } : undefined,
    });
    expect(ds.map((d) => [d.code, d.hint?.startsWith('was') ? d.hint : 'kept'])).toEqual([
      ['TEMPLATE_NAME_TOO_LONG', 'kept'],
      ['CAMPAIGN_WRONG_TYPE', 'was CAMPAIGN_WRONG_TYPE'],
    ]);
  });
});
