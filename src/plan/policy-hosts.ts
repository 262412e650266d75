// The allowedUrlHosts rule (pure): every address a template sends (imageUrl, merchantLogo,
// button.btnUrl, custom tabs) must point to a listed host; `*.example.com` stands for every
// sub-domain of example.com. Matching compares strings from the end: linear in the host's length.
import type { SourcePosition } from '../diagnostics/diagnostic.js';
import type { PolicyRule, PolicyTemplate } from './policies.js';

export interface PolicyFinding {
  rule: PolicyRule;
  addresses: string[];
  message: string;
  /** How to fix it (without the override). */
  fix: string;
  position?: SourcePosition | undefined;
}

/** Each address a template body holds, by its dotted path. */
export function templateUrls(body: Readonly<Record<string, unknown>>): Map<string, string> {
  const out = new Map<string, string>();
  const add = (path: string, value: unknown): void => {
    if (typeof value === 'string') out.set(path, value);
  };
  add('imageUrl', body.imageUrl);
  add('merchantLogo', body.merchantLogo);
  const button = body.button;
  if (isObject(button)) add('button.btnUrl', button.btnUrl);
  const locales = body.localeInfo;
  if (isObject(locales)) {
    for (const [locale, info] of Object.entries(locales)) {
      if (!isObject(info) || !Array.isArray(info.customTabs)) continue;
      info.customTabs.forEach((tab: unknown, i: number) => {
        if (isObject(tab)) add(`localeInfo.${locale}.customTabs[${i}].value`, tab.value);
      });
    }
  }
  return out;
}

/** The host of an http(s) address, lower case, without a trailing dot; undefined when there is none. */
export function hostOf(url: string): string | undefined {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host.endsWith('.') ? host.slice(0, -1) : host;
  } catch {
    return undefined;
  }
}

/** `cdn.example.com` matches itself; `*.example.com` matches a.example.com and a.b.example.com. */
export function hostAllowed(host: string, patterns: readonly string[]): boolean {
  return patterns.some((raw) => {
    const pattern = raw.toLowerCase();
    if (!pattern.startsWith('*.')) return host === pattern;
    const suffix = pattern.slice(1);
    return host.length > suffix.length && host.endsWith(suffix);
  });
}

export function urlFindings(hosts: readonly string[], t: PolicyTemplate): PolicyFinding[] {
  const before = t.before ? templateUrls(t.before) : new Map<string, string>();
  const out: PolicyFinding[] = [];
  for (const [path, url] of templateUrls(t.body)) {
    if (before.get(path) === url) continue; // already live: checked when it was sent
    const host = hostOf(url);
    if (host !== undefined && hostAllowed(host, hosts)) continue;
    const root = path.split('.')[0] ?? path;
    out.push({
      rule: 'allowedUrlHosts',
      addresses: [t.address],
      message: `\`${path}\` of ${t.address} points to ${host ?? 'an address without a host'}, which is not an allowed host (${hosts.join(', ')}).`,
      fix: 'Use an address on an allowed host (check for a typo in the address), or add the host to `allowedUrlHosts` in the config.',
      position: t.fields[root] ?? t.source,
    });
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
