// A plan that could not be made (invalid campaign files or config, a damaged state, …), as the
// machine-readable formats show it (pure): a document with the error and the diagnostics, so a
// pull-request comment or a pipeline says what to fix. Exit code 1 all the same.
import { type Diagnostic, formatGithubAnnotation } from '../diagnostics/diagnostic.js';
import { mdCode, mdText } from './markdown-text.js';
import { PLAN_FORMAT_VERSION } from './plan-types.js';
import { fitMarkdown, MARKDOWN_LIMIT, markdownDiagnostics } from './render-markdown.js';

export interface PlanFailure {
  /** Unknown when the config itself could not be read. */
  environment: string | null;
  error: { code: string; message: string; hint?: string };
  /** The problems in the files that stopped the plan (empty for a runtime failure). */
  diagnostics: Diagnostic[];
}

/** `plan --format json` when no plan could be made; told apart from a plan by `error`. */
export function planFailureDocument(f: PlanFailure): Record<string, unknown> {
  const errors = f.diagnostics.filter((d) => d.severity === 'error').length;
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    environment: f.environment,
    error: { code: f.error.code, message: plain(f.error.message), hint: f.error.hint ?? null },
    counts: { errors, warnings: f.diagnostics.length - errors },
    diagnostics: f.diagnostics,
  };
}

export function renderPlanFailureMarkdown(f: PlanFailure, limit = MARKDOWN_LIMIT): string {
  const where = f.environment === null ? '' : ` for ${mdCode(f.environment)}`;
  const head = [
    `**ipass plan**${where}: **no plan** — ${mdCode(f.error.code)} ${mdText(plain(f.error.message))}`,
    '',
    ...(f.error.hint ? [`${mdText(f.error.hint)}`, ''] : []),
  ];
  const items = markdownDiagnostics(f.diagnostics);
  const assemble = (count: number): string => {
    const parts = [...head];
    if (items.length > 0) parts.push('**Problems**', '', ...items.slice(0, count));
    if (count < items.length)
      parts.push(`- … ${items.length - count} more not shown: run \`ipass validate\` for the full list`);
    return `${parts.join('\n')}\n`;
  };
  return fitMarkdown((_rows, count) => assemble(count), 0, items.length, limit);
}

export function renderPlanFailureGithub(f: PlanFailure): string {
  const lines = f.diagnostics.map((d) => formatGithubAnnotation(d));
  lines.push(
    formatGithubAnnotation({
      severity: 'error',
      code: f.error.code,
      message: plain(f.error.message),
      ...(f.error.hint ? { hint: f.error.hint } : {}),
    }),
  );
  const errors = f.diagnostics.filter((d) => d.severity === 'error').length;
  const what = errors > 0 ? `${errors} error${errors === 1 ? '' : 's'} to fix first` : f.error.code;
  lines.push(`No plan${f.environment === null ? '' : ` for ${f.environment}`}: ${what}.`);
  return `${lines.join('\n')}\n`;
}

/** The terminal's wording points at diagnostics "listed above"; a document lists them itself. */
function plain(message: string): string {
  return message.replace(/ \(listed above\)/g, '');
}
