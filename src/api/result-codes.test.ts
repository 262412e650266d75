// The catalog covers every result code the API docs mention, docs/result-codes.md lists every code
// of the catalog, and classification follows the catalog first, resultStatus second.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIENT_CODES } from './client-codes.js';
import { classifyResult, isCredentialsCode, RESULT_CODES } from './result-codes.js';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const apiDocs = [
  'protocol.md',
  'other-endpoints.md',
  'seeds/000_0f3f1f8d026dcc15.txt',
  'seeds/001_7749d33197cc05a2.txt',
  'seeds/002_10503ce1749891ec.txt',
]
  .map((f) => read(`docs/api/${f}`))
  .join('\n');

// Upper-snake words in the API docs that are field values, not result codes.
const NOT_CODES = [
  /_TICKET$/,
  /_BUDGET$/,
  /^UPDATE_/,
  /_BTN$/,
  /_CARD$/,
  /^CODE_PAY_URL$/,
  /^FREE_GIVE$/,
  /^OUT_PLAT_FORM$/,
  /^RSA_AES$/,
  /^SANDBOX_/,
];
// Words glued together by the seed's table layout ("UNKNOWN_EXCEPTION" + "U" + "API failed").
const GLUED = ['UNKNOWN_EXCEPTIONUAPI'];

describe('result code catalog', () => {
  it('has every code the API docs mention', () => {
    const words = new Set(apiDocs.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g) ?? []);
    const codes = [...words].filter((w) => !NOT_CODES.some((re) => re.test(w)) && !GLUED.includes(w));
    expect(codes.length).toBeGreaterThan(40);
    expect(codes.filter((c) => !(c in RESULT_CODES))).toEqual([]);
    expect(RESULT_CODES.SUCCESS?.kind).toBe('success');
  });

  it('gives every code a kind, a meaning and an action; variants point at a code with the same handling', () => {
    for (const [code, info] of Object.entries(RESULT_CODES)) {
      expect(info.meaning.length, code).toBeGreaterThan(3);
      expect(info.action.length, code).toBeGreaterThan(3);
      expect(info.retryable, code).toBe(info.status === 'U');
      if (info.sameAs) expect(RESULT_CODES[info.sameAs]?.kind, code).toBe(info.kind);
    }
  });

  it('is listed in full in docs/result-codes.md, and the page lists nothing else', () => {
    const page = read('docs/result-codes.md');
    const listed = new Set([...page.matchAll(/^\| `([A-Z0-9_]+)`/gm)].map((m) => m[1]));
    for (const code of Object.keys(RESULT_CODES)) expect(listed.has(code), code).toBe(true);
    for (const code of Object.keys(CLIENT_CODES).filter((c) => !c.startsWith('HTTP_')))
      expect(listed.has(code), code).toBe(true);
    const known = new Set([...Object.keys(RESULT_CODES), ...Object.keys(CLIENT_CODES)]);
    expect([...listed].filter((c) => c !== undefined && !known.has(c) && !c.startsWith('HTTP_'))).toEqual([]);
  });
});

describe('classifyResult', () => {
  it('follows the catalog for known codes, whatever the status says', () => {
    expect(classifyResult('SYSTEM_ERROR', 'F')).toMatchObject({ kind: 'unknown', retryable: true });
    expect(classifyResult('REQUEST_TRAFFIC_EXCEED_LIMIT', 'U')).toMatchObject({
      kind: 'unknown',
      retryable: true,
    });
    expect(classifyResult('PASS_HAS_EXIT', 'F')).toMatchObject({ kind: 'business', retryable: false });
    expect(classifyResult('KEY_NOT_FOUND', 'F')).toMatchObject({ kind: 'credentials' });
    expect(classifyResult('INVALID_API', 'F')).toMatchObject({ kind: 'client-bug' });
  });

  it('follows resultStatus for unknown codes; S is success', () => {
    expect(classifyResult('NEW_CODE', 'U')).toMatchObject({ kind: 'unknown', retryable: true });
    expect(classifyResult('NEW_CODE', 'F')).toMatchObject({ kind: 'business', retryable: false });
    expect(classifyResult('SUCCESS', 'S').kind).toBe('success');
  });

  it('knows the credentials codes, and nothing inherited from Object is a code', () => {
    expect(
      ['INVALID_SIGNATURE', 'INVALID_CLIENT', 'KEY_NOT_FOUND', 'ACCESS_DENIED'].every(isCredentialsCode),
    ).toBe(true);
    expect(isCredentialsCode('PARAM_ILLEGAL')).toBe(false);
    expect(classifyResult('constructor', 'F')).toMatchObject({ kind: 'business' });
  });
});
