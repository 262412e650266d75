// One cause, one report (pure): a misspelt key whose "did you mean" names the right one explains the
// errors inside it and the "missing" errors for the name it should have had, so those are dropped;
// and at one spot a value that is wrong in itself is reported, not also its mismatch with another.
import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** The suffix every typo message ends with (unknown field, unknown locale). */
const GUESS = /: did you mean `([A-Za-z0-9_$-]{1,64})`\?$/;

interface Typo {
  diagnostic: Diagnostic;
  /** The misspelt key's path, e.g. /templates/a/localeInfo/zh-HK. */
  path: string;
  /** Its owner: /templates/a, /passes/b, or /defaults (which every template shares). */
  owner: string;
  /** The mapping it is in, relative to the owner: /localeInfo. */
  parent: string;
  guess: string;
}

export function dropExplained(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const typos = diagnostics.flatMap((d) => typoOf(d) ?? []);
  const kept =
    typos.length === 0 ? [...diagnostics] : diagnostics.filter((d) => !typos.some((t) => explains(t, d)));
  return onePerSpot(kept);
}

function typoOf(d: Diagnostic): Typo | undefined {
  if (!d.path || !(d.code.endsWith('UNKNOWN_FIELD') || d.code.endsWith('UNKNOWN_LOCALE'))) return undefined;
  const guess = GUESS.exec(d.message)?.[1];
  if (guess === undefined) return undefined;
  const [owner, rest] = split(d.path);
  const cut = rest.lastIndexOf('/');
  return { diagnostic: d, path: d.path, owner, parent: cut <= 0 ? '' : rest.slice(0, cut), guess };
}

function explains(t: Typo, d: Diagnostic): boolean {
  if (d === t.diagnostic || !d.path) return false;
  if (d.path === t.path || d.path.startsWith(`${t.path}/`)) return true; // the misspelt key's own content
  if (!d.code.endsWith('MISSING_FIELD')) return false;
  const [owner, rest] = split(d.path);
  const sameOwner = owner === t.owner || (t.owner === '/defaults' && owner.startsWith('/templates/'));
  if (!sameOwner) return false;
  return rest === `${t.parent}/${t.guess}` || (rest === t.parent && d.message.includes(`\`${t.guess}\``));
}

/** "/templates/a/localeInfo/zh_HK" → ["/templates/a", "/localeInfo/zh_HK"]. */
function split(path: string): [string, string] {
  const parts = path.split('/');
  const size = parts[1] === 'defaults' ? 2 : 3;
  return [parts.slice(0, size).join('/'), parts.length > size ? `/${parts.slice(size).join('/')}` : ''];
}

/** A value wrong in itself (unknown, wrong type, out of range) is the one error at its spot. */
function onePerSpot(diagnostics: Diagnostic[]): Diagnostic[] {
  const wrongValue = new Set(
    diagnostics
      .filter((d) => d.severity === 'error' && d.path && !d.code.endsWith('_MISMATCH'))
      .map((d) => d.path),
  );
  return diagnostics.filter((d) => !(d.code.endsWith('_MISMATCH') && wrongValue.has(d.path)));
}
