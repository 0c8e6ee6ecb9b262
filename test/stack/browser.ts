import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

// Where Linux packages put Chromium or Chrome, tried when CHROMIUM_PATH is not set and
// Playwright has no browser of its own installed.
const SYSTEM_BROWSERS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

// Headless, and quiet: no sandbox (CI runs as root), no GPU, and none of Chromium's own
// background traffic, which a machine without Internet access refuses loudly.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const HOW_TO_GET_ONE = [
  'The console tests need Chromium. Either:',
  '  npx playwright-core install chromium        (Playwright downloads its own), or',
  '  apt-get install -y chromium                 (Debian/Ubuntu; found at /usr/bin/chromium), or',
  '  CHROMIUM_PATH=/path/to/chromium npm test    (any Chromium or Chrome you have).',
].join('\n');

/**
 * A headless Chromium: CHROMIUM_PATH when set, else Playwright's own, else a system one.
 * Never skips: without a browser it fails with how to get one.
 */
export async function launchBrowser(): Promise<Browser> {
  const configured = process.env['CHROMIUM_PATH'];
  if (configured && !existsSync(configured)) throw new Error(`CHROMIUM_PATH=${configured} does not exist.\n${HOW_TO_GET_ONE}`);
  const candidates = configured ? [configured] : [undefined, ...SYSTEM_BROWSERS.filter((path) => existsSync(path))];
  const failures: string[] = [];
  for (const executablePath of candidates) {
    try {
      return await chromium.launch({ headless: true, args: ARGS, ...(executablePath ? { executablePath } : {}) });
    } catch (error) {
      failures.push(`${executablePath ?? "Playwright's own Chromium"}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`No browser could be started (${failures.join('; ')}).\n${HOW_TO_GET_ONE}`);
}
