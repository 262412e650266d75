// A plan file saved by `ipass plan --out FILE`, read for `ipass apply FILE`: JSON of this format
// version. Whatever else it holds is checked later, against the plan derived again (plan-compare.ts).
import { readFileSync } from 'node:fs';
import { IpassError } from '../diagnostics/errors.js';
import { PLAN_FORMAT_VERSION, type Plan } from '../plan/plan-types.js';

export function readPlanFile(path: string): Plan {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new IpassError('PLAN_UNREADABLE', `The plan file ${path} cannot be read.`, {
      reason: error instanceof Error ? error.message : String(error),
      hint: 'Give a file written by `ipass plan --out FILE`.',
    });
  }
  if (!isPlanOfThisVersion(value)) {
    throw new IpassError(
      'PLAN_UNREADABLE',
      `${path} is not an ipass plan (format version ${PLAN_FORMAT_VERSION}).`,
      {
        hint: 'Give a file written by `ipass plan --out FILE` with this version of ipass.',
      },
    );
  }
  return value;
}

/** The fields apply reads before it derives the plan again and compares the two, request by request. */
function isPlanOfThisVersion(value: unknown): value is Plan {
  const fields = fieldsOf(value);
  const lineage = fieldsOf(fields.get('state')).get('lineage');
  return (
    fields.get('formatVersion') === PLAN_FORMAT_VERSION &&
    Array.isArray(fields.get('changes')) &&
    typeof lineage === 'string'
  );
}

function fieldsOf(value: unknown): Map<string, unknown> {
  return new Map(typeof value === 'object' && value !== null ? Object.entries(value) : []);
}
