// Every schema ipass compiles is a valid draft-07 schema (compileSchema skips that check at run time).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { compileSchema } from './schema-check.js';

const SCHEMAS = join(import.meta.dirname, '..', '..', 'schemas');
const files = readdirSync(SCHEMAS).filter((f) => f.endsWith('.schema.json'));

describe('the schemas in schemas/', () => {
  it('are all checked', () => {
    expect(files).toEqual(
      expect.arrayContaining(['campaign.schema.json', 'config.schema.json', 'state.schema.json']),
    );
  });

  it.each(files)('%s is a valid draft-07 schema', (file) => {
    const schema = JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as object;
    const ajv = new Ajv({ strict: false });
    expect(ajv.validateSchema(schema), ajv.errorsText(ajv.errors)).toBe(true);
  });

  it('a schema that breaks the meta-schema is caught by the check above', () => {
    const ajv = new Ajv({ strict: false });
    expect(ajv.validateSchema({ type: 'no-such-type', required: 'id' })).toBe(false);
  });

  it('compileSchema still validates against a schema', () => {
    const validate = compileSchema({ type: 'object', required: ['id'] });
    expect(validate({ id: 1 })).toBe(true);
    expect(validate({})).toBe(false);
  });
});
