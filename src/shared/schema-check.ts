// Compile a JSON Schema with ajv (all errors, formats) once, and check values against it.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import {
  type Locate,
  type SchemaCodePrefix,
  schemaErrorsToDiagnostics,
} from '../diagnostics/schema-diagnostics.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const compiled = new WeakMap<object, ValidateFunction>();

/** `refs`: other schemas that `schema` refers to by their $id. */
export function compileSchema(schema: object, refs: readonly object[] = []): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    // Our own schemas only (schemas/): src/shared/schema-check.test.ts checks them against the draft-07
    // meta-schema once, so each run skips compiling the meta-schema (about half of the compile time).
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, validateSchema: false });
    addFormats(ajv);
    for (const ref of refs) ajv.addSchema(ref);
    fn = ajv.compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

export function validateWithSchema(
  schema: object,
  value: unknown,
  locate: Locate,
  prefix: SchemaCodePrefix,
): Diagnostic[] {
  const validate = compileSchema(schema);
  if (validate(value)) return [];
  return schemaErrorsToDiagnostics(validate.errors ?? [], value, locate, { prefix });
}
