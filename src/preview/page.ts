// The frame of every preview page (pure): one self-contained HTML document with the stylesheet
// inline, the note on what the layout is, and a policy that lets a page load only images.
import { html, type SafeHtml, trusted } from './html.js';
import { STYLES } from './styles.js';

/** Said on every page: what the layout is, and what it is not. */
export const LAYOUT_NOTE =
  'This layout is ipass’s own reading of the AlipayHK wallet’s card list and card detail pages: ' +
  'faithful in content and limits (every text, length, price, date, image address, button and code ' +
  'comes from the exact request bodies ipass sends), not a pixel copy of the app.';

// Images from anywhere (the campaign's own URLs); nothing else is fetched. Inline script only for
// the image placeholders' onerror handlers.
const POLICY =
  "default-src 'none'; img-src http: https: data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

export interface PageInput {
  title: string;
  /** Line under the title (environment, counts). */
  subtitle: string;
  /** Links at the top, e.g. back to the index. */
  nav?: SafeHtml;
  main: SafeHtml;
}

export function page(input: PageInput): string {
  return `<!doctype html>\n${
    html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${POLICY}">
<meta name="generator" content="ipass preview">
<title>${input.title}</title>
<style>${trusted(STYLES)}</style>
</head>
<body>
<header class="top">
<h1>${input.title}</h1>
<div class="subtitle note">${input.subtitle}</div>
${input.nav ? html`<nav>${input.nav}</nav>` : ''}
<p class="reading" data-layout-note>${LAYOUT_NOTE}</p>
</header>
<main>
${input.main}
</main>
<footer>Made by <code>ipass</code>. Images load from their own addresses; everything else is in this file.</footer>
</body>
</html>`.value
  }\n`;
}
