import { describe, expect, it } from 'vitest';
import { escapeControl } from './terminal-text.js';

describe('escapeControl', () => {
  it('writes control characters as escapes and leaves other text alone', () => {
    expect(escapeControl('\u001b[31mred\u001b[0m')).toBe('\\x1b[31mred\\x1b[0m');
    expect(escapeControl('a\nb\r\tc\u0007\u007f\u009b')).toBe('a\\nb\\r\\tc\\x07\\x7f\\x9b');
    expect(escapeControl('abc\u202edef')).toBe('abc\\u202edef');
    expect(escapeControl('夏日咖啡券 · café ☕ "quoted"')).toBe('夏日咖啡券 · café ☕ "quoted"');
  });
});
