// Diagnostics: problems with user input (campaign files, config, recipients), collected rather than
// thrown. Each names where (file:line:col, 1-based), a stable code, a plain-words message and a hint.
import type { ErrorCode } from './error-codes.js';
import { escapeControl } from './terminal-text.js';

export type Severity = 'error' | 'warning';

export interface SourcePosition {
  /** Path as shown to the user (relative to the working directory when possible). */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  col: number;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable, upper-case code such as TEMPLATE_NAME_TOO_LONG. Tests and tools match on it. */
  code: ErrorCode;
  /** What is wrong, in plain words. */
  message: string;
  /** How to fix it. */
  hint?: string;
  /** Where; absent only for problems that have no place in a file. */
  position?: SourcePosition;
  /** JSON path inside the document, e.g. /templates/coffee/localeInfo/zh_HK/name. */
  path?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sort by file, line, column, then code, so output is stable. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const fa = a.position?.file ?? '';
    const fb = b.position?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = a.position?.line ?? 0;
    const lb = b.position?.line ?? 0;
    if (la !== lb) return la - lb;
    const ca = a.position?.col ?? 0;
    const cb = b.position?.col ?? 0;
    if (ca !== cb) return ca - cb;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}

/** Problems listed per file (campaign file or recipients file); the rest are counted in one more. */
export const MAX_DIAGNOSTICS_PER_FILE = 100;

/**
 * Sorted diagnostics with repeats dropped and at most MAX_DIAGNOSTICS_PER_FILE per file; the rest of
 * a file's are counted in one more diagnostic of `code` (an error when any hidden one is).
 */
export function capPerFile(sorted: readonly Diagnostic[], code: ErrorCode): Diagnostic[] {
  const out: Diagnostic[] = [];
  const shown = new Map<string, number>();
  const hidden = new Map<string, { count: number; error: boolean; first: SourcePosition }>();
  const seen = new Set<string>();
  for (const d of sorted) {
    const p = d.position;
    const key = `${d.severity}|${d.code}|${p ? `${p.file}:${p.line}:${p.col}` : ''}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!p) {
      out.push(d);
      continue;
    }
    const n = shown.get(p.file) ?? 0;
    if (n < MAX_DIAGNOSTICS_PER_FILE) {
      shown.set(p.file, n + 1);
      out.push(d);
      continue;
    }
    const h = hidden.get(p.file) ?? { count: 0, error: false, first: p };
    hidden.set(p.file, { count: h.count + 1, error: h.error || d.severity === 'error', first: h.first });
  }
  for (const [file, h] of hidden) {
    out.push({
      severity: h.error ? 'error' : 'warning',
      code,
      message: `${h.count} more problem(s) in ${file} are not shown.`,
      hint: 'Fix the ones shown and run again to see the rest.',
      position: { file, line: h.first.line, col: 1 },
    });
  }
  return sortDiagnostics(out);
}

/** What is printed of a diagnostic, or of a coded error or a plan's note shown like one. */
type Printable = Omit<Diagnostic, 'severity' | 'code'> & { code: string };

/**
 * The diagnostic as it is printed: every text in it, which may quote user files, with control
 * characters escaped (see terminal-text.ts). All printing of diagnostics goes through this.
 */
function printable<D extends Printable>(d: D): D {
  const out: D = { ...d, code: escapeControl(d.code), message: escapeControl(d.message) };
  if (d.hint !== undefined) out.hint = escapeControl(d.hint);
  if (d.position) out.position = { ...d.position, file: escapeControl(d.position.file) };
  return out;
}

/** `FILE:LINE:COL: error CODE: message` followed by an indented hint line, compiler style. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const d = printable(diagnostic);
  const where = d.position ? `${d.position.file}:${d.position.line}:${d.position.col}: ` : '';
  const head = `${where}${d.severity} ${d.code}: ${d.message}`;
  return d.hint ? `${head}\n  hint: ${d.hint}` : head;
}

function escapeGithubData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeGithubProperty(s: string): string {
  return escapeGithubData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * A GitHub Actions workflow command: `::error file=…,line=…,col=…::CODE: message`. Besides
 * diagnostics, a plan annotates changes as warnings or notices.
 */
export function formatGithubAnnotation(diagnostic: Printable & { severity: Severity | 'notice' }): string {
  const d = printable(diagnostic);
  const props: string[] = [];
  if (d.position) {
    props.push(`file=${escapeGithubProperty(d.position.file)}`);
    props.push(`line=${d.position.line}`);
    props.push(`col=${d.position.col}`);
  }
  props.push(`title=${escapeGithubProperty(d.code)}`);
  const text = d.hint ? `${d.code}: ${d.message}\n${d.hint}` : `${d.code}: ${d.message}`;
  return `::${d.severity} ${props.join(',')}::${escapeGithubData(text)}`;
}
