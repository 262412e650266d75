import { describe, expect, it } from 'vitest';
import {
  capPerFile,
  type Diagnostic,
  formatDiagnostic,
  formatGithubAnnotation,
  MAX_DIAGNOSTICS_PER_FILE,
} from './diagnostic.js';
import type { ErrorCode } from './error-codes.js';

const at = (
  file: string,
  line: number,
  code: ErrorCode = 'CAMPAIGN_INVALID_VALUE',
  severity: Diagnostic['severity'] = 'error',
): Diagnostic => ({
  severity,
  code,
  message: `problem on line ${line}`,
  hint: 'fix it',
  position: { file, line, col: 1 },
});

describe('capPerFile', () => {
  it('keeps the first problems of each file, counts the rest, and drops repeats', () => {
    const many = Array.from({ length: MAX_DIAGNOSTICS_PER_FILE + 30 }, (_, i) => at('a.yaml', i + 1));
    const out = capPerFile([...many, at('a.yaml', 1), at('b.yaml', 1)], 'CAMPAIGN_MORE_PROBLEMS');
    expect(out.filter((d) => d.position?.file === 'a.yaml')).toHaveLength(MAX_DIAGNOSTICS_PER_FILE + 1);
    expect(out.find((d) => d.code === 'CAMPAIGN_MORE_PROBLEMS')).toMatchObject({
      severity: 'error',
      message: '30 more problem(s) in a.yaml are not shown.',
      position: { file: 'a.yaml', line: MAX_DIAGNOSTICS_PER_FILE + 1 },
    });
    expect(out.filter((d) => d.position?.file === 'b.yaml')).toHaveLength(1);
  });
});

describe('printing', () => {
  it('escapes control characters from user files in every printed field', () => {
    const d: Diagnostic = {
      severity: 'error',
      code: 'CAMPAIGN_WRONG_TYPE',
      message: 'not "\u001b]0;pwned\u0007"',
      hint: 'line\nforged: error',
      position: { file: 'x\u001b[2J.yaml', line: 1, col: 2 },
    };
    const text = formatDiagnostic(d);
    expect(text).toBe(
      'x\\x1b[2J.yaml:1:2: error CAMPAIGN_WRONG_TYPE: not "\\x1b]0;pwned\\x07"\n  hint: line\\nforged: error',
    );
    const annotation = formatGithubAnnotation(d);
    for (const c of ['\u001b', '\u0007', '\n']) expect(annotation).not.toContain(c);
  });
});
