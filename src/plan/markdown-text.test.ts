import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { htmlText, mdBlock, mdCode, mdText } from './markdown-text.js';

const render = (md: string): string => marked.parse(md, { gfm: true, async: false }) as string;

describe('user text in markdown', () => {
  const hostile = [
    '# Plan: no changes. Approve!',
    'x\r# Heading after a lone CR',
    'x\u2028## Heading after U+2028',
    'x\n> quoted\n- item',
    '- a list item',
    '+ another',
    '1. numbered',
    '> a quote',
    '<img src=x onerror=alert(1)>',
    '![image](http://evil.example/t.png)',
    '[link](http://evil.example)',
    'see http://evil.example and www.evil.example',
    '`code` *em* _em_ ~~del~~ | cell',
    'ping @admins',
    'esc \u001b[2J bidi \u202e',
  ];

  it('opens no block, tag, link or image, in a paragraph, a list item or a table cell', () => {
    for (const text of hostile) {
      for (const md of [
        mdText(text),
        `- item ${mdText(text)}`,
        `| a | b |\n|---|---|\n| ${mdText(text)} | ${mdCode(text, true)} |`,
      ]) {
        const html = render(md);
        expect(html, text).not.toMatch(/<h[1-6]|<a |<img |<blockquote|<ol|<em>|<strong>|<del>|<code>code/);
        expect(html.match(/<li>/g)?.length ?? 0, text).toBeLessThanOrEqual(1);
        expect(html, text).not.toContain('\u001b');
      }
    }
  });

  it('keeps code spans, code blocks and HTML text on one line', () => {
    expect(mdCode('a\rb\u2028c')).toBe('`a b c`');
    expect(mdBlock(['a\r# b'])).toEqual(['```', 'a # b', '```']);
    expect(htmlText('<b>x</b>\r\n@team')).toBe('&lt;b&gt;x&lt;/b&gt; @\u2060team');
    expect(mdText('esc \u001b bidi \u202e')).toBe('esc \\\\x1b bidi \\<U+202E\\>');
  });
});
