// Browser tests on Debian's chromium (never a downloaded browser), driven by playwright-core.
// Outside CI without chromium and the CJK fonts they are skipped (browser-notice.ts says so once);
// under CI=true they run, and fail with the install command, when either is missing.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { describe } from 'vitest';
import { inCi } from '../../src/shared/ci.js';

export const CHROMIUM = '/usr/bin/chromium';
/** One file of Debian's fonts-noto-cjk: without it Chinese renders as boxes and measures nothing. */
export const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
export const INSTALL = 'apt-get install -y chromium fonts-noto-cjk';

export const BROWSER_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What the browser tests lack on this machine, or undefined when they can run. */
export function browserMissing(): string | undefined {
  const missing = [
    ...(existsSync(CHROMIUM) ? [] : [CHROMIUM]),
    ...(existsSync(CJK_FONT) ? [] : ['fonts-noto-cjk']),
  ];
  return missing.length === 0 ? undefined : missing.join(' and ');
}

/** True when the browser tests are skipped here (no browser, not CI). */
export function browserTestsSkipped(): boolean {
  return browserMissing() !== undefined && !inCi();
}

/** `describe` for browser tests: skipped outside CI without a browser, run (and failing) in CI. */
export const describeInBrowser: typeof describe.skip = browserTestsSkipped() ? describe.skip : describe;

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Chromium with a fresh profile, requests to anything but 127.0.0.1 refused at once (a campaign's
 * image hosts are "unreachable" the same way on every machine).
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const missing = browserMissing();
  if (missing) {
    throw new Error(
      `The browser tests need ${missing}, which is missing on this machine. Install: ${INSTALL}`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'ipass-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: BROWSER_ARGS,
    viewport: { width: 1100, height: 900 },
    deviceScaleFactor: 1,
  });
  await context.route(
    (url) => url.protocol.startsWith('http') && url.hostname !== '127.0.0.1',
    (route) => route.abort('internetdisconnected'),
  );
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
