// Diagnostics: problems with user input (campaign files, config, recipients), collected rather than
// thrown. Each names where (file:line:col, 1-based), a stable code, a plain-words message and a hint.

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
  code: string;
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

/** `FILE:LINE:COL: error CODE: message` followed by an indented hint line, compiler style. */
export function formatDiagnostic(d: Diagnostic): string {
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
export function formatGithubAnnotation(
  d: Omit<Diagnostic, 'severity'> & { severity: Severity | 'notice' },
): string {
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
