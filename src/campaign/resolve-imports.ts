// `import:` entries across every file (pure): each names a template the files declare, and no code or
// address is adopted twice; a second entry is an error naming both.
import { closest } from '../diagnostics/closest.js';
import type { Diagnostic, SourcePosition } from '../diagnostics/diagnostic.js';
import type { ParsedTemplate } from './normalize-template.js';
import type { ImportDraft } from './parse-campaign-file.js';
import type { ImportEntry } from './types.js';

const at = (p: SourcePosition): string => `${p.file}:${p.line}:${p.col}`;

export function resolveImports(
  entries: readonly ImportDraft[],
  templates: ReadonlyMap<string, ParsedTemplate>,
  diagnostics: Diagnostic[],
  unknowable: (address: string) => boolean,
): ImportEntry[] {
  const byCode = new Map<string, ImportEntry>();
  const byAddress = new Map<string, ImportEntry>();
  for (const e of entries) {
    const path = `/import/${e.index}`;
    const sameCode = byCode.get(e.templateCode);
    const sameAddress = byAddress.get(e.to);
    const first = sameCode ?? sameAddress;
    if (first) {
      const what = sameCode
        ? `Template ${e.templateCode} is imported twice: to ${first.to} at ${at(first.source)} and to ${e.to} here.`
        : `${e.to} is the target of two imports: ${first.templateCode} at ${at(first.source)} and ${e.templateCode} here.`;
      diagnostics.push({
        severity: 'error',
        code: 'IMPORT_DUPLICATE',
        message: what,
        hint: 'A template is adopted at one address, and an address adopts one template: keep a single entry.',
        position: e.source,
        path,
      });
      continue;
    }
    if (!templates.has(e.to) && !unknowable(e.to)) {
      const guess = closest(e.to, [...templates.keys()]);
      diagnostics.push({
        severity: 'error',
        code: 'IMPORT_TARGET_UNDECLARED',
        message: `The import of ${e.templateCode} names ${e.to}, which no campaign file declares.`,
        hint: guess
          ? `Did you mean ${guess}?`
          : 'Declare the template at that address with the content it has (`ipass import generate CODE` writes it), or fix `to`.',
        position: e.source,
        path: `${path}/to`,
      });
      continue;
    }
    const entry: ImportEntry = { to: e.to, templateCode: e.templateCode, source: e.source };
    byCode.set(e.templateCode, entry);
    byAddress.set(e.to, entry);
  }
  return [...byAddress.values()].sort((a, b) => (a.to < b.to ? -1 : 1));
}
