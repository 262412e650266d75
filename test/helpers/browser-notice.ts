// vitest globalSetup: the one line that says the browser tests are skipped here, and how to run them.
import { browserMissing, browserTestsSkipped, INSTALL } from './browser.js';

export default function setup(): void {
  if (browserTestsSkipped())
    console.log(`Browser tests skipped: ${browserMissing()} is missing. To run them: ${INSTALL}`);
}
