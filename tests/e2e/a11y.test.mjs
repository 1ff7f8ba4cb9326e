// Accessibility: axe-core on the main pages; any "serious" or "critical"
// violation fails, listed rule by rule with the elements it found.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, AXE_CONTEXT as CONTEXT, axe,
  describeViolations as describe } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

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
