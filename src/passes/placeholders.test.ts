import { describe, expect, it } from 'vitest';
import {
  compileContent,
  compileValue,
  fill,
  fillContent,
  filledLength,
  jsonStringLength,
} from './placeholders.js';

const values: Record<string, string> = { code: 'A1"b', name: 'Chan Tai Man', amount: '1000', empty: '' };
const lookup = (name: string): string => values[name] ?? '';

describe('placeholders', () => {
  it('fills {{column}} anywhere in nested values, spaces inside the braces allowed', () => {
    const c = compileValue({
      a: '{{code}}',
      b: { c: 'Hi {{ name }}, {{name}}!' },
      d: ['x{{amount}}'],
      e: 5,
      f: true,
    });
    expect(c.names).toEqual(['code', 'name', 'amount']);
    expect(fill(c.node, lookup)).toEqual({
      a: 'A1"b',
      b: { c: 'Hi Chan Tai Man, Chan Tai Man!' },
      d: ['x1000'],
      e: 5,
      f: true,
    });
  });

  it('leaves text without placeholders and lone braces alone', () => {
    const c = compileValue({ a: 'plain', b: '{not}', c: '{{}' });
    expect(c.names).toEqual([]);
    expect(fill(c.node, lookup)).toEqual({ a: 'plain', b: '{not}', c: '{{}' });
  });

  it('knows the JSON length without serializing, escapes included', () => {
    const c = compileValue({ $codemsg$: '{{code}}', $codevalue$: 'x{{code}}\n{{empty}}"' });
    expect(filledLength(c, lookup)).toBe(JSON.stringify(fill(c.node, lookup)).length);
    expect(jsonStringLength('a"b\\c\u0001')).toBe(JSON.stringify('a"b\\c\u0001').length - 2);
    expect(jsonStringLength('咖啡')).toBe(2);
  });

  it('sends extInfo as a JSON string, codeInfo and dataInfo as objects', () => {
    const content = compileContent({
      codeInfo: { $codemsg$: '{{code}}' },
      dataInfo: { en_US: { $shopname$: '{{name}}' } },
      extInfo: { tradeAmountCent: '{{amount}}', currencyCode: 'HKD', cardType: 'DIRECT_CARD' },
    });
    const filled = fillContent(content, lookup);
    expect(filled.codeInfo).toEqual({ $codemsg$: 'A1"b' });
    expect(filled.dataInfo).toEqual({ en_US: { $shopname$: 'Chan Tai Man' } });
    expect(typeof filled.extInfo).toBe('string');
    expect(JSON.parse(filled.extInfo ?? '')).toEqual({
      tradeAmountCent: '1000',
      currencyCode: 'HKD',
      cardType: 'DIRECT_CARD',
    });
  });

  it('omits dataInfo and extInfo when the batch has none', () => {
    const filled = fillContent(compileContent({ codeInfo: { $codemsg$: 'fixed' } }), lookup);
    expect(filled).toEqual({ codeInfo: { $codemsg$: 'fixed' } });
  });
});
