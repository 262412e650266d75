import { describe, expect, it } from 'vitest';
import { escapeControl, excerpt, excerptList, invisibleCharacters } from './terminal-text.js';

describe('escapeControl', () => {
  it('writes control characters as escapes and leaves other text alone', () => {
    expect(escapeControl('\u001b[31mred\u001b[0m')).toBe('\\x1b[31mred\\x1b[0m');
    expect(escapeControl('a\nb\r\tc\u0007\u007f\u009b')).toBe('a\\nb\\r\\tc\\x07\\x7f\\x9b');
    expect(escapeControl('abc\u202edef')).toBe('abc<U+202E>def');
    expect(escapeControl('a\u200bb\ufeffc\u2028d\u00ade\u{e0041}')).toBe(
      'a<U+200B>b<U+FEFF>c<U+2028>d<U+00AD>e<U+E0041>',
    );
    expect(escapeControl('夏日咖啡券 · café ☕ "quoted"')).toBe('夏日咖啡券 · café ☕ "quoted"');
  });
});

describe('excerpts of file content', () => {
  it('quote at most 40 characters, escaped', () => {
    expect(excerpt('short')).toBe('short');
    expect(excerpt(`${'x'.repeat(39)}\u001b[2J and more`)).toBe(`${'x'.repeat(39)}\\x1b…`);
    expect(excerpt('夏'.repeat(50))).toBe(`${'夏'.repeat(40)}…`);
    expect(excerptList(['a', 'b'.repeat(30), 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'])).toBe(
      `a, ${'b'.repeat(24)}…, c, d, e, f, g, h and 2 more`,
    );
  });

  it('finds invisible characters by position, but not the joiner inside an emoji sequence', () => {
    expect(invisibleCharacters('ab\u202ecd\u200b')).toEqual([
      { index: 3, code: 0x202e },
      { index: 6, code: 0x200b },
    ]);
    expect(invisibleCharacters('family 👨\u200d👩\u200d👧 ❤️\u200d🔥')).toEqual([]);
    expect(invisibleCharacters('plain 夏日咖啡券')).toEqual([]);
  });
});
