// The preview's stylesheet, inlined into every page (the site needs no other file). Text boxes wrap
// anywhere, so no text at the API's longest can push out of its card; no word or character is left
// alone on a line: paragraphs wrap `pretty` (the line breaker looks ahead so the last line is not one
// word: "off", "碼"), and short texts such as names and buttons wrap `balance` (lines of even length).

export const STYLES = `
:root { --ink: #1f2329; --muted: #6b7280; --line: #e5e7eb; --wallet: #f2f3f5; --accent: #1677ff;
  --price: #e8541e; --warn: #b45309; --bad: #c0262d; --changed: #f5a623; }
* { box-sizing: border-box; }
body { margin: 0; background: #f7f8fa; color: var(--ink); font: 14px/1.45 system-ui, -apple-system,
  "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK HK", "Noto Sans CJK TC", "PingFang HK", sans-serif;
  text-wrap: pretty; }
h1, h2, h3, h4, h5, .lc-brand, .lc-name, .lc-sub, .d-brandname, .d-name, .d-sub, .d-button, .tab .txt,
  .d-section h5, .promo, .code-msg { text-wrap: balance; }
[lang="zh-HK"] { font-family: "Noto Sans CJK HK", "Noto Sans CJK TC", "PingFang HK",
  "Microsoft JhengHei", system-ui, sans-serif; }
[lang="en"] { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
a { color: var(--accent); }
.top { background: #fff; border-bottom: 1px solid var(--line); padding: 14px 24px; }
.top h1 { margin: 0 0 4px; font-size: 20px; }
.top nav a { margin-right: 12px; }
.reading { margin: 6px 0 0; color: var(--muted); font-size: 12px; max-width: 860px; }
.images-bar { margin: 8px 0 0; font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
.load-images { display: inline-block; margin-left: 6px; background: var(--accent); color: #fff;
  border-radius: 14px; padding: 3px 12px; text-decoration: none; font-weight: 600; }
.ph .host { font-size: 11px; }
.imgbox.failed .ph b::after { content: " (does not load)"; }
main { padding: 20px 24px 40px; max-width: 1000px; }
.template, .pass, .change { background: #fff; border: 1px solid var(--line); border-radius: 12px;
  padding: 16px 20px; margin: 0 0 24px; }
.t-head h2 { margin: 0; font-size: 17px; overflow-wrap: anywhere; }
.where { margin: 2px 0 10px; color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 4px 18px;
  margin: 0 0 14px; font-size: 12px; }
.fact { display: flex; gap: 6px; min-width: 0; }
.fact dt { color: var(--muted); flex: none; }
.fact dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.locales { display: grid; grid-template-columns: repeat(2, minmax(0, 380px)); gap: 24px; align-items: start; }
@media (max-width: 820px) { .locales { grid-template-columns: minmax(0, 380px); } }
.locale h3 { margin: 0 0 6px; font-size: 13px; color: var(--muted); font-weight: 600; }
.phone { background: var(--wallet); border-radius: 18px; padding: 12px; border: 1px solid var(--line); }
.field { display: flex; gap: 6px; align-items: baseline; min-width: 0; }
.txt { flex: 1 1 auto; min-width: 0; overflow-wrap: anywhere; white-space: pre-wrap; }
.len { flex: none; font: 10px/1.6 ui-monospace, monospace; color: var(--muted); background: #eef0f3;
  border-radius: 8px; padding: 0 5px; }
.len.full { color: var(--warn); background: #fdf2dc; }
.len.over { color: #fff; background: var(--bad); }
.annot { color: var(--muted); font-size: 11px; overflow-wrap: anywhere; }
.note { color: var(--muted); font-size: 12px; }
.url { font: 11px/1.4 ui-monospace, monospace; overflow-wrap: anywhere; word-break: break-all; }
.list-card { background: #fff; border-radius: 12px; padding: 12px; box-shadow: 0 1px 2px rgba(0,0,0,.06); }
.lc-main { display: grid; grid-template-columns: 48px minmax(0, 1fr) auto; gap: 10px; align-items: start; }
.lc-body { min-width: 0; display: flex; flex-direction: column; gap: 2px; }
.lc-brand { color: var(--muted); font-size: 12px; }
.lc-name { font-size: 15px; font-weight: 600; }
.lc-sub { font-size: 12px; color: #4b5563; }
.lc-price, .d-price { color: var(--price); }
.lc-price .now, .d-price .now { font-size: 16px; }
.was { color: var(--muted); font-size: 12px; margin-left: 4px; }
.lc-valid, .d-valid { color: var(--muted); font-size: 11px; }
.status { font-size: 11px; border-radius: 10px; padding: 1px 8px; white-space: nowrap; background: #e6f4ea;
  color: #137333; justify-self: end; }
.status-paused { background: #fef3c7; color: var(--warn); }
.status-closed { background: #fde2e1; color: var(--bad); }
.imgbox { position: relative; overflow: hidden; background: #e9ebef; }
.imgbox img { display: block; width: 100%; height: 100%; object-fit: cover; }
.imgbox .ph { display: none; }
.imgbox.broken img { display: none; }
.imgbox.broken .ph { display: flex; }
.lc-logo, .d-logo { width: 48px; height: 48px; border-radius: 10px; }
.d-logo { width: 32px; height: 32px; border-radius: 8px; flex: none; }
.lc-logo .ph, .d-logo .ph { width: 100%; height: 100%; align-items: center; justify-content: center;
  font-size: 9px; color: var(--muted); background: repeating-linear-gradient(45deg, #eceef1 0 6px, #e2e5e9 6px 12px); }
.ph-line { display: none; margin-top: 6px; font-size: 11px; color: var(--warn); overflow-wrap: anywhere; }
.list-card:has(.lc-logo.broken) .ph-line, .d-brand:has(.d-logo.broken) .ph-line { display: block; }
.d-brand .ph-line { flex-basis: 100%; margin-top: 0; }
.detail { background: #fff; border-radius: 12px; margin-top: 12px; overflow: hidden;
  box-shadow: 0 1px 2px rgba(0,0,0,.06); }
.detail > * { margin-left: 14px; margin-right: 14px; }
.detail > .d-hero { margin: 0; }
.d-image { width: 100%; aspect-ratio: 1 / 1; }
.d-image::after { content: "safe area ↑"; position: absolute; left: 0; right: 0; top: 66.67%;
  border-top: 1px dashed rgba(192, 38, 45, .55); font-size: 9px; color: rgba(192, 38, 45, .8);
  text-align: right; padding-right: 6px; }
.d-image .ph { position: absolute; inset: 0; flex-direction: column; align-items: center; justify-content: center;
  gap: 6px; padding: 20px; text-align: center; color: var(--warn);
  background: repeating-linear-gradient(45deg, #f1f2f4 0 10px, #e7e9ed 10px 20px); }
.d-brand { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-top: 12px; }
.d-brandname { flex: 1 1 0; color: var(--muted); font-size: 12px; }
.d-name { font-size: 18px; font-weight: 700; margin-top: 8px; }
.d-sub { font-size: 13px; color: #4b5563; margin-top: 2px; }
.d-meta { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; margin-top: 6px; }
.d-meta .d-valid { flex-basis: 100%; order: 3; }
.d-code { margin-top: 12px; padding: 14px; border: 1px solid var(--line); border-radius: 10px; text-align: center; }
.qr { background: #fff; padding: 16px; display: inline-block; }
.qr svg { width: 176px; height: 176px; display: block; shape-rendering: crispEdges; }
.barcode { background: #fff; padding: 10px 16px; }
.barcode svg { display: block; margin: 0 auto; max-width: 100%; shape-rendering: crispEdges; }
.code-msg, .promo { font: 13px/1.4 ui-monospace, monospace; letter-spacing: .04em; overflow-wrap: anywhere; margin-top: 4px; }
.promo { font-size: 18px; padding: 10px; background: var(--wallet); border-radius: 8px; }
.code-problem, .problem { color: var(--bad); background: #fdecec; border-radius: 8px; padding: 8px 10px;
  font-size: 12px; overflow-wrap: anywhere; text-align: left; }
.d-vars { margin-top: 10px; padding: 8px 10px; background: var(--wallet); border-radius: 8px; }
.d-vars .facts { grid-template-columns: minmax(0, 1fr); margin: 0; }
.d-button-row { margin-top: 12px; text-align: center; }
.d-button { display: block; background: var(--accent); color: #fff; border-radius: 20px; padding: 9px; font-weight: 600; }
.d-button-none { margin-top: 12px; }
.d-tabs { list-style: none; padding: 0; margin: 12px 14px 0; border-top: 1px solid var(--line); }
.tab { flex-wrap: wrap; padding: 8px 0; border-bottom: 1px solid var(--line); }
.tab .txt::after { content: " ›"; color: var(--muted); }
.tab .url { flex-basis: 100%; }
.d-section { margin-top: 14px; margin-bottom: 14px; }
.d-section h5 { margin: 0 0 4px; font-size: 13px; }
.d-text { font-size: 12px; color: #374151; }
.no-locale { padding: 24px 12px; color: var(--warn); font-size: 13px; text-align: center; }
.request { margin-top: 14px; font-size: 12px; }
.request pre { background: #f6f8fa; border-radius: 8px; padding: 10px; overflow: auto; max-height: 360px;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.changed { position: relative; outline: 2px solid var(--changed); outline-offset: 1px; background-color: #fff7e0;
  margin-top: 12px; }
.changed::after { content: "changed"; position: absolute; top: -9px; right: 0; font: 9px/1.4 system-ui, sans-serif;
  background: var(--changed); color: #fff; padding: 0 4px; border-radius: 3px; }
.index-list { list-style: none; padding: 0; margin: 0; }
.index-list > li { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 12px 16px; margin-bottom: 12px; }
.index-list h2 { margin: 0 0 4px; font-size: 16px; }
.index-list ul { margin: 4px 0 0; padding-left: 18px; }
.action { display: inline-block; font-size: 12px; font-weight: 700; border-radius: 6px; padding: 1px 8px;
  background: #e8f0fe; color: #1a56db; text-transform: uppercase; letter-spacing: .03em; }
.action.irreversible { background: #fde2e1; color: var(--bad); }
.banner { border-radius: 8px; padding: 8px 12px; margin: 8px 0 12px; font-size: 13px; background: #fdecec;
  color: var(--bad); font-weight: 600; }
.reasons { margin: 6px 0 12px; padding-left: 18px; font-size: 12px; overflow-wrap: anywhere; }
.compare { display: grid; grid-template-columns: repeat(2, minmax(0, 380px)); gap: 24px; align-items: start; }
.compare h3 { margin: 0 0 6px; font-size: 13px; }
.compare + .compare { margin-top: 18px; }
.closing .phone { opacity: .55; }
.empty-side { border: 2px dashed var(--line); border-radius: 18px; padding: 40px 16px; text-align: center; color: var(--muted); }
footer { color: var(--muted); font-size: 11px; padding: 0 24px 24px; }
`;
