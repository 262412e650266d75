// The `yaml.schemas` mapping merged into an existing .vscode/settings.json as a minimal text edit
// (jsonc-parser, the parser VS Code itself uses): comments, trailing commas, indentation and key
// order stay as they are; only the missing schema entries are added.
import { applyEdits, type FormattingOptions, modify, type ParseError, parse } from 'jsonc-parser';

export type MergeResult =
  | { kind: 'updated'; text: string }
  | { kind: 'unchanged' }
  /** Not JSON with comments, or not an object: left alone. */
  | { kind: 'unreadable' };

export function mergeYamlSchemas(text: string, wanted: Record<string, string[]>): MergeResult {
  const errors: ParseError[] = [];
  const settings: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || !isObject(settings)) return { kind: 'unreadable' };
  const current = settings['yaml.schemas'];
  if (current !== undefined && !isObject(current)) return { kind: 'unreadable' };
  const formatting = formattingOf(text);
  let next = text;
  for (const [schema, globs] of Object.entries(wanted)) {
    if (current && Object.hasOwn(current, schema)) continue;
    next = applyEdits(next, modify(next, ['yaml.schemas', schema], globs, { formattingOptions: formatting }));
  }
  return next === text ? { kind: 'unchanged' } : { kind: 'updated', text: next };
}

/** Indentation and line ends as the file has them (two spaces and \n when it does not say). */
function formattingOf(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /\n([ \t]+)\S/.exec(text)?.[1];
  if (indent?.startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indent ? Math.min(indent.length, 8) : 2, eol };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
