// Invisible and direction-changing characters in a campaign file's texts (U+202E, U+200B, U+FEFF, …):
// a reviewer cannot see them, and a direction override makes a text read other than it is stored, so
// each text that has one gets a TEXT_INVISIBLE_CHARACTER warning naming where. Pure, linear.
import type { Diagnostic, SourcePosition } from '../diagnostics/diagnostic.js';
import { invisibleCharacters, visibleCodePoint } from '../diagnostics/terminal-text.js';
import type { JsonPath } from '../diagnostics/yaml-source.js';

const NAMES: Readonly<Record<number, string>> = {
  173: 'soft hyphen',
  8203: 'zero-width space',
  8204: 'zero-width non-joiner',
  8205: 'zero-width joiner',
  8206: 'left-to-right mark',
  8207: 'right-to-left mark',
  8232: 'line separator',
  8233: 'paragraph separator',
  8234: 'left-to-right embedding',
  8235: 'right-to-left embedding',
  8236: 'pop directional formatting',
  8237: 'left-to-right override',
  8238: 'right-to-left override',
  8288: 'word joiner',
  8294: 'left-to-right isolate',
  8295: 'right-to-left isolate',
  8296: 'first strong isolate',
  8297: 'pop directional isolate',
  65279: 'zero-width no-break space',
};

type Locate = (path: JsonPath, at?: 'key' | 'value') => SourcePosition;

function describe(found: { index: number; code: number }[]): string {
  return found
    .map(
      (f) =>
        `${visibleCodePoint(f.code)} (${NAMES[f.code] ?? 'invisible character'}) at character ${f.index}`,
    )
    .join(', ');
}

/** One warning per text (value or key) that holds an invisible character, at that text. */
export function invisibleTextDiagnostics(document: unknown, locate: Locate): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (text: string, path: JsonPath, at: 'key' | 'value'): void => {
    const found = invisibleCharacters(text, 3);
    if (found.length === 0) return;
    const what = at === 'key' ? 'The key' : `The text of \`${path.map(String).join('.')}\``;
    out.push({
      severity: 'warning',
      code: 'TEXT_INVISIBLE_CHARACTER',
      message: `${what} has an invisible or direction-changing character: ${describe(found)}. A reviewer cannot see it, and the wallet shows the text other than it reads here.`,
      hint: 'Delete the character (retype the text around it if your editor does not show it), unless you put it there on purpose.',
      position: locate(path, at),
      path: `/${path.join('/')}`,
    });
  };
  const walk = (value: unknown, path: (string | number)[]): void => {
    if (typeof value === 'string') check(value, path, 'value');
    else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) walk(value[i], [...path, i]);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        check(k, [...path, k], 'key');
        walk(v, [...path, k]);
      }
    }
  };
  walk(document, []);
  return out;
}
