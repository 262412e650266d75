// Text from user files is shown with its control and invisible characters made visible, so a campaign
// or CSV file cannot move the cursor, recolour, retitle or forge lines of a terminal or CI log, nor
// hide text from a reviewer: C0 and C1 controls and DEL become `\x1b`-style escapes; direction
// overrides, zero-width and other invisible characters become `<U+202E>`. Pure, linear.

const NAMED: Readonly<Record<number, string>> = { 10: '\\n', 13: '\\r', 9: '\\t' };

/** C0 and C1 controls and DEL. */
export function isControl(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

/**
 * Characters that show nothing, or change the direction or joining of the text around them: a
 * reviewer cannot see them, and a direction override makes text read other than it is stored.
 */
export function isInvisible(code: number): boolean {
  return (
    code === 0x00ad || // soft hyphen
    code === 0x034f || // combining grapheme joiner
    code === 0x061c || // Arabic letter mark
    code === 0x115f ||
    code === 0x1160 || // Hangul fillers
    code === 0x17b4 ||
    code === 0x17b5 ||
    (code >= 0x180b && code <= 0x180f) || // Mongolian selectors and vowel separator
    (code >= 0x200b && code <= 0x200f) || // zero-width space/non-joiner/joiner, LRM, RLM
    (code >= 0x2028 && code <= 0x202e) || // line/paragraph separators, embeddings, overrides
    (code >= 0x2060 && code <= 0x206f) || // word joiner, invisible operators, isolates
    code === 0x3164 ||
    code === 0xfeff || // zero-width no-break space (byte order mark)
    code === 0xffa0 ||
    (code >= 0xfff9 && code <= 0xfffb) || // interlinear annotation
    (code >= 0x1d173 && code <= 0x1d17a) ||
    (code >= 0xe0000 && code <= 0xe007f) // tag characters
  );
}

/** `<U+202E>`: how an invisible character is shown. */
export function visibleCodePoint(code: number): string {
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

function escapeOne(code: number): string {
  const named = NAMED[code];
  if (named) return named;
  if (isControl(code)) return `\\x${code.toString(16).padStart(2, '0')}`;
  return visibleCodePoint(code);
}

/** Whether `text` holds anything escapeControl would change (a fast path for plain text). */
function needsEscape(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f) || c === 0xad || c >= 0x34f) {
      const cp = text.codePointAt(i) ?? c;
      if (isControl(cp) || isInvisible(cp)) return true;
    }
  }
  return false;
}

/** `text` with every control character written as an escape (`\n`, `\x1b`) and invisible ones as `<U+202E>`. */
export function escapeControl(text: string): string {
  if (!needsEscape(text)) return text;
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    out += isControl(cp) || isInvisible(cp) ? escapeOne(cp) : ch;
  }
  return out;
}

/** Longest excerpt of a file's content a message quotes, in characters. */
export const EXCERPT_CHARS = 40;

/**
 * A short, escaped excerpt of text read from a file, for a message: at most `max` characters (then
 * `…`), control and invisible characters made visible. Never quote more of a file than this.
 */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  let taken = '';
  let n = 0;
  for (const ch of text) {
    if (n === max) return `${escapeControl(taken)}…`;
    taken += ch;
    n++;
  }
  return escapeControl(taken);
}

/** A list of excerpts, at most `count` of them, then how many more. */
export function excerptList(items: readonly string[], count = 8, max = 24): string {
  const shown = items.slice(0, count).map((item) => excerpt(item, max));
  const more = items.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/** Positions (1-based, in code points of `text`) and characters of the invisible ones, at most `limit`. */
export function invisibleCharacters(text: string, limit = 5): { index: number; code: number }[] {
  const found: { index: number; code: number }[] = [];
  if (!needsEscape(text)) return found;
  let index = 0;
  let previous = 0;
  const chars = [...text];
  for (let i = 0; i < chars.length && found.length < limit; i++) {
    index++;
    const cp = chars[i]?.codePointAt(0) ?? 0;
    if (cp === 0x200d && joinsEmoji(previous) && isPictographic(chars[i + 1]?.codePointAt(0) ?? 0)) {
      previous = cp;
      continue; // the joiner inside an emoji sequence (👨‍👩‍👧) is how those are written
    }
    if (isInvisible(cp)) found.push({ index, code: cp });
    previous = cp;
  }
  return found;
}

const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

/** What may stand before the joiner of an emoji sequence: a pictograph, its presentation selector or a skin tone. */
function joinsEmoji(code: number): boolean {
  return code === 0xfe0f || (code >= 0x1f3fb && code <= 0x1f3ff) || isPictographic(code);
}

function isPictographic(code: number): boolean {
  return code > 0x7f && PICTOGRAPHIC.test(String.fromCodePoint(code));
}
