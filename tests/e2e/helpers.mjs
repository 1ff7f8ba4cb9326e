// Shared setup for the browser tests: the system chromium through
// playwright-core (never a downloaded browser), one browser per test file,
// a fresh context (cookies) per test, and a screenshot in
// tests/e2e/artifacts/ when a test fails.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const BASE_URL = (process.env.BASE_URL || '').replace(/\/+$/, '');
if (!BASE_URL)
  throw new Error('BASE_URL is not set: run the tests with tests/e2e/run.sh');

const ARTIFACTS = join(HERE, 'artifacts');

// Without the background-networking flags chromium hangs on a closed
// network (it keeps trying to reach Google's services).
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30000,
  });
}

// Run fn(page) in a fresh context; on failure save a screenshot and say
// where, then fail with the original error.
export async function withPage(browser, name, fn, contextOptions = {}) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    viewport: { width: 1280, height: 900 },
    ...contextOptions,
  });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  try {
    await fn(page);
  } catch (err) {
    try {
      mkdirSync(ARTIFACTS, { recursive: true });
      const file = join(ARTIFACTS,
        name.replace(/[^A-Za-z0-9._-]+/g, '_') + '.png');
      await page.screenshot({ path: file, fullPage: true });
      console.log(`screenshot of the failure (${page.url()}): ${file}`);
    } catch (shotErr) {
      console.log(`could not save a screenshot: ${shotErr.message}`);
    }
    throw err;
  } finally {
    await context.close();
  }
}

// Accessibility: axe-core, run in the page.  The site's
// Content-Security-Policy forbids inline script, which is how
// addScriptTag({ path }) injects; a context made with AXE_CONTEXT
// (bypassCSP) lets axe in (test only).
const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
export const AXE_CONTEXT = { bypassCSP: true };

// The page's violations: [{ id, impact, help, helpUrl, nodes }].
export async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await window.axe.run(document, {
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '), html: n.html,
        summary: n.failureSummary,
      })),
    }));
  });
}

// Violations as text, rule by rule with the elements found.
export function describeViolations(violations) {
  return violations.map((v) => [
    `  [${v.impact}] ${v.id}: ${v.help}`,
    `    ${v.helpUrl}`,
    ...v.nodes.map((n) => `    - ${n.target}\n      ${n.html}\n      ` +
      (n.summary || '').replace(/\n/g, '\n      ')),
  ].join('\n')).join('\n');
}
