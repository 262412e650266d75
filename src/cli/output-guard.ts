// The last line of defence between ipass and a CI log: no printed line may become a GitHub Actions
// workflow command. The runner runs a line as a command when, after its leading white space, it starts
// with `::`, and a legacy command wherever `##[` appears in it; it also ends a line at a lone CR.
// Values from files are escaped where they are formatted; this guard makes the rule hold for every
// line, whatever a formatter missed. Only the github formatter's own annotations may start with `::`.

/** What is being written: it decides how a neutralized sequence is written. */
export type OutputKind =
  /** Plain lines for a person (the default). */
  | 'text'
  /** A JSON document: `##[` inside a string becomes `##\u005b` (the same string once parsed). */
  | 'json'
  /** Markdown: `\` escapes, which render as the character itself. */
  | 'markdown'
  /** The github formatter's annotations: lines may start with `::` (their values are escaped). */
  | 'annotations';

const LEGACY = '##[';

/** Leading white space as the runner trims it (.NET's char.IsWhiteSpace; JS `\s` is a superset). */
function commandStart(line: string): number | undefined {
  let i = 0;
  while (i < line.length && /\s/.test(line[i] ?? '')) i++;
  return line.startsWith('::', i) ? i : undefined;
}

function guardLine(line: string, kind: OutputKind): string {
  let out = line;
  if (out.includes('\r')) out = out.replaceAll('\r', '\\r');
  if (out.includes(LEGACY)) out = out.replaceAll(LEGACY, kind === 'json' ? '##\\u005b' : '##\\[');
  if (kind !== 'annotations') {
    const at = commandStart(out);
    if (at !== undefined) out = `${out.slice(0, at)}\\${out.slice(at)}`;
  }
  return out;
}

/** `text` with every line that could run as a workflow command neutralized. Linear in the text. */
export function guardOutput(text: string, kind: OutputKind = 'text'): string {
  if (!text.includes('::') && !text.includes(LEGACY) && !text.includes('\r')) return text;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) lines[i] = guardLine(lines[i] ?? '', kind);
  return lines.join('\n');
}
