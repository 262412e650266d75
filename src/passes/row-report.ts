// Row diagnostics of one recipients file, as `plan` and `validate` report them: the first errors,
// each warning once with how many rows more have it, and a last line counting what is not shown.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { MAX_DIAGNOSTICS_PER_FILE } from '../diagnostics/diagnostic.js';
import type { ErrorCode } from '../diagnostics/error-codes.js';

/** Row problems reported per recipients file; the rest are counted in one last diagnostic. */
export const MAX_ROW_DIAGNOSTICS = MAX_DIAGNOSTICS_PER_FILE;

/**
 * Collects row diagnostics for one file, keeping the first MAX_ROW_DIAGNOSTICS errors; a warning is
 * reported once per code, at its first row, with how many more rows have it.
 */
export class RowReport {
  private readonly list: Diagnostic[] = [];
  private hidden = 0;
  private readonly warnings = new Map<ErrorCode, { diagnostic: Diagnostic; more: number }>();

  private readonly extra: Diagnostic[] = [];

  constructor(private readonly file: string) {}

  get empty(): boolean {
    return this.list.length === 0;
  }

  add(code: ErrorCode, message: string, hint: string, line: number, col: number): void {
    if (this.list.length >= MAX_ROW_DIAGNOSTICS) {
      this.hidden++;
      return;
    }
    this.list.push({ severity: 'error', code, message, hint, position: { file: this.file, line, col } });
  }

  /** A diagnostic about the batch as a whole (not a row): always kept. */
  diagnostic(d: Diagnostic): void {
    this.extra.push(d);
  }

  warn(code: ErrorCode, message: string, hint: string, line: number, col: number): void {
    const seen = this.warnings.get(code);
    if (seen) seen.more++;
    else {
      const position = { file: this.file, line, col };
      this.warnings.set(code, {
        diagnostic: { severity: 'warning', code, message, hint, position },
        more: 0,
      });
    }
  }

  finish(): Diagnostic[] {
    const warnings = [...this.warnings.values()].map(({ diagnostic, more }) =>
      more === 0
        ? diagnostic
        : { ...diagnostic, message: `${diagnostic.message} ${more} more row(s) of this file too.` },
    );
    if (this.hidden === 0) return [...this.extra, ...this.list, ...warnings];
    const last = this.list[this.list.length - 1];
    return [
      ...this.extra,
      ...this.list,
      ...warnings,
      {
        severity: 'error',
        code: 'RECIPIENTS_MORE_PROBLEMS',
        message: `${this.hidden} more problem(s) in this file are not shown.`,
        hint: 'Fix the ones shown and run again to see the rest.',
        position: { file: this.file, line: last?.position?.line ?? 1, col: 1 },
      },
    ];
  }
}
