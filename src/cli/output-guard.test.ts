import { describe, expect, it } from 'vitest';
import { guardOutput } from './output-guard.js';

describe('the output guard', () => {
  it('lets no line start a workflow command, whatever white space comes before it', () => {
    expect(guardOutput('::warning title=ipass::Plan approved.csv:1:1: error X\n')).toBe(
      '\\::warning title=ipass::Plan approved.csv:1:1: error X\n',
    );
    expect(guardOutput('ok\n  \t::add-mask::secret\n\u00a0::stop-commands::x\n')).toBe(
      'ok\n  \t\\::add-mask::secret\n\u00a0\\::stop-commands::x\n',
    );
    expect(guardOutput('a:: not at the start\n')).toBe('a:: not at the start\n');
  });

  it('escapes legacy ##[ commands anywhere, as JSON where the text is JSON', () => {
    expect(guardOutput('name ##[add-mask]x\n')).toBe('name ##\\[add-mask]x\n');
    const json = guardOutput(JSON.stringify({ name: '##[set-output name=a;]b' }), 'json');
    expect(json).not.toContain('##[');
    expect(JSON.parse(json)).toEqual({ name: '##[set-output name=a;]b' });
  });

  it('ends no line at a lone carriage return', () => {
    expect(guardOutput('a\r::error::x\n')).toBe('a\\r::error::x\n');
  });

  it("keeps the github formatter's own annotations", () => {
    const line = '::error file=a.yaml,line=1,col=1,title=X::X: y\n';
    expect(guardOutput(line, 'annotations')).toBe(line);
    expect(guardOutput(line)).toBe(`\\${line}`);
  });
});
