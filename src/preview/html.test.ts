import { describe, expect, it } from 'vitest';
import { escapeHtml, html, trusted } from './html.js';

describe('html', () => {
  it('escapes every interpolated text, in content and in attributes', () => {
    const name = `<img src=x onerror='alert(1)'> & "friends"`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;img src=x onerror=&#39;alert(1)&#39;&gt; &amp; &quot;friends&quot;">&lt;img src=x onerror=&#39;alert(1)&#39;&gt; &amp; &quot;friends&quot;</p>',
    );
  });

  it('keeps SafeHtml, joins lists, drops nullish and booleans', () => {
    const items = ['a<', 'b'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${undefined}${null}${false}${trusted('<hr>')}${3}`.value).toBe(
      '<ul><li>a&lt;</li><li>b</li></ul><hr>3',
    );
    expect(escapeHtml('plain 咖啡')).toBe('plain 咖啡');
  });
});
