// The frame of every preview page (pure): a self-contained HTML document with the stylesheet inline,
// the note on what the layout is, and a policy that loads nothing remote until the reader asks.
//
// A pull request's images could tell its author when and from where each reviewer looked, so every
// page comes in two files. `x.html` loads nothing: its policy allows images only as data: URLs (a
// forgotten `<img src=…>` cannot load either), each image is a placeholder naming its host, and one
// button (a link) opens `x.images.html`. That copy's policy lists exactly the hosts the page names,
// and its one script, allowed by its hash, moves each image's address from data-src to src. Neither
// page allows inline scripts or styles other than its own, by hash.
import { createHash } from 'node:crypto';
import { html, type SafeHtml, trusted } from './html.js';
import { STYLES } from './styles.js';

/** Said on every page: what the layout is, and what it is not. */
export const LAYOUT_NOTE =
  'This layout is ipass’s own reading of the AlipayHK wallet’s card list and card detail pages: ' +
  'faithful in content and limits (every text, length, price, date, image address, button and code ' +
  'comes from the exact request bodies ipass sends), not a pixel copy of the app.';

/** Loads the images of a page that asked for them; marks each box loaded, or failed. */
const IMAGE_SCRIPT =
  "for(const i of document.querySelectorAll('img[data-src]')){const b=i.parentElement;" +
  "i.addEventListener('load',()=>b.classList.remove('broken'));" +
  "i.addEventListener('error',()=>b.classList.add('failed'));i.src=i.dataset.src}";

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

function policy(origins: readonly string[] | undefined): string {
  const images = origins ? ['data:', ...origins].join(' ') : 'data:';
  const scripts = origins ? sha256(IMAGE_SCRIPT) : "'none'";
  return `default-src 'none'; img-src ${images}; style-src ${sha256(STYLES)}; script-src ${scripts}; base-uri 'none'; form-action 'none'`;
}

export interface PageInput {
  title: string;
  /** Line under the title (environment, counts). */
  subtitle: string;
  /** Links at the top, e.g. back to the index. */
  nav?: SafeHtml;
  main: SafeHtml;
}

export interface SitePage {
  /** File name inside the output folder. */
  file: string;
  html: string;
}

/** An image host as a policy source: scheme, a plain host name or address, and port. */
export function imageOrigin(address: string): string | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  // Only letters, digits, dots and hyphens (IDNs arrive as punycode): nothing that could end the
  // source or the directive it is in.
  if (!/^[a-z0-9.-]{1,253}$/.test(url.hostname)) return undefined;
  return `${url.protocol}//${url.hostname}${url.port ? `:${url.port}` : ''}`;
}

/** The image addresses a page names (its own data-src attributes), as policy sources, once each. */
function imageOrigins(markup: string): string[] {
  const origins = new Set<string>();
  const marker = 'data-src="';
  for (let at = markup.indexOf(marker); at !== -1; at = markup.indexOf(marker, at + 1)) {
    const start = at + marker.length;
    const end = markup.indexOf('"', start);
    if (end === -1) break;
    const address = markup
      .slice(start, end)
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&amp;', '&');
    const origin = imageOrigin(address);
    if (origin) origins.add(origin);
  }
  return [...origins].sort();
}

/** The file of a page's copy that loads its images: campaign-x.html → campaign-x.images.html. */
export function withImagesFile(file: string): string {
  return file.replace(/\.html$/, '.images.html');
}

function document(input: PageInput, origins: readonly string[] | undefined, bar: SafeHtml): string {
  return `<!doctype html>\n${
    html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${policy(origins)}">
<meta name="referrer" content="no-referrer">
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
${bar}
</header>
<main>
${input.main}
</main>
<footer>Made by <code>ipass</code>. Everything is in this file; images load from their own addresses only after you ask.</footer>
${origins ? trusted(`<script>${IMAGE_SCRIPT}</script>`) : ''}
</body>
</html>`.value
  }\n`;
}

/** A page as `file`, and, when it names images, the copy that loads them (see the top of this file). */
export function pages(file: string, input: PageInput): SitePage[] {
  const origins = imageOrigins(input.main.value);
  if (origins.length === 0) return [{ file, html: document(input, undefined, html``) }];
  const hosts = origins.map((o) => o.replace(/^https?:\/\//, '')).join(', ');
  const images = withImagesFile(file);
  const ask = html`<p class="images-bar" data-images="off">Images are not loaded, so no image host learns that this page was opened. <a class="load-images" href="${images}">Load the images from ${hosts}</a></p>`;
  const shown = html`<p class="images-bar" data-images="on">Images load from ${hosts}. <a class="hide-images" href="${file}">Hide the images</a></p>`;
  return [
    { file, html: document(input, undefined, ask) },
    { file: images, html: document(input, origins, shown) },
  ];
}
