// Accessibility: axe-core on the main pages; any "serious" or "critical"
// violation fails, listed rule by rule with the elements it found.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { launch, withPage } from './helpers.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// The site's Content-Security-Policy forbids inline script, which is how
// addScriptTag({ path }) injects; bypassCSP lets axe in (test only).
const CONTEXT = { bypassCSP: true };

async function axe(page) {
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

function describe(violations) {
  return violations.map((v) => [
    `  [${v.impact}] ${v.id}: ${v.help}`,
    `    ${v.helpUrl}`,
    ...v.nodes.map((n) => `    - ${n.target}\n      ${n.html}\n      ` +
      (n.summary || '').replace(/\n/g, '\n      ')),
  ].join('\n')).join('\n');
}

async function check(name, path, pagePrep) {
  await withPage(browser, `a11y-${name}`, async (page) => {
    await page.goto(path);
    if (pagePrep) await pagePrep(page);
    const violations = await axe(page);
    const bad = violations.filter((v) =>
      v.impact === 'serious' || v.impact === 'critical');
    const minor = violations.filter((v) => !bad.includes(v));
    if (minor.length)
      console.log(`axe, ${name} (${page.url()}), minor:\n` +
        describe(minor));
    assert.equal(bad.length, 0,
      `axe found serious/critical problems on the ${name} page ` +
      `(${page.url()}):\n${describe(bad)}`);
  }, CONTEXT);
}

test('home page has no serious accessibility problems', () =>
  check('home', '/'));

test('an article page has no serious accessibility problems', () =>
  check('article', '/', async (page) => {
    await page.locator('ol.article-list article h2 a').first().click();
    await page.waitForURL((u) => u.pathname !== '/');
  }));

test('login page has no serious accessibility problems', () =>
  check('login', '/accounts/login/'));

test('signup page has no serious accessibility problems', () =>
  check('signup', '/accounts/signup/'));

test('search results have no serious accessibility problems', () =>
  check('search', '/search/?q=harbour'));

test('a comment form sent back with errors has no serious accessibility ' +
  'problems', () =>
  check('comment-errors', '/', async (page) => {
    await page.locator('ol.article-list article h2 a').first().click();
    await page.waitForURL((u) => u.pathname !== '/');
    // Bypass the browser's own checks to get the server's error page.
    await page.locator('form.comment-form').evaluate((f) => {
      f.noValidate = true;
    });
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.locator('.form-summary').waitFor();
  }));
