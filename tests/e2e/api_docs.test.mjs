// /api/docs/: Swagger UI (served from static/vendor/, installed from npm
// by make vendor) renders the OpenAPI document under the page's real
// Content-Security-Policy: no violation reported (securitypolicyviolation
// events and console messages), no request to any other origin, the
// operations shown, and axe finds nothing serious on the page, as it
// opens and with operations expanded, tried out and executed (our
// static/css/api-docs.css and static/js/api-docs.js mend Swagger UI's
// markup for it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, AXE_CONTEXT, axe, describeViolations,
  BASE_URL } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const ORIGIN = new URL(BASE_URL).origin;

// Load the docs page, recording CSP violations, console errors and the
// origins of every request (others are refused, not fetched).
async function loadDocs(page) {
  const seen = { violations: [], console: [], foreign: [], failed: [] };
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || new URL(url).origin === ORIGIN)
      return route.continue();
    seen.foreign.push(url);
    return route.abort();
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text()))
      seen.console.push(m.text());
  });
  page.on('requestfailed', (r) => seen.failed.push(r.url()));
  await page.exposeFunction('reportViolation', (v) =>
    seen.violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.reportViolation(`${e.violatedDirective} blocked ` +
        `${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const res = await page.goto('/api/docs/');
  assert.equal(res.status(), 200);
  await page.locator('.swagger-ui .opblock').first().waitFor();
  // Open an operation, so its parts (schemas, icons) render too.
  await page.locator('.opblock-summary').first().click();
  await page.locator('.opblock-body').first().waitFor();
  await page.waitForLoadState('networkidle');
  return { res, seen };
}

// The operation METHOD PATH (its .opblock), as Swagger UI lists it.
function operation(page, method, path) {
  return page.locator('.opblock', {
    has: page.locator('.opblock-summary-method', { hasText:
      new RegExp(`^${method}$`) }),
  }).filter({ has: page.locator(`.opblock-summary [data-path="${path}"]`) })
    .first();
}

test('the docs page renders the operations with no CSP violation',
  async () => {
    await withPage(browser, 'api-docs', async (page) => {
      const { res, seen } = await loadDocs(page);
      const csp = res.headers()['content-security-policy'];
      assert.ok(csp, 'no Content-Security-Policy');
      assert.doesNotMatch(csp, /unsafe-eval/);
      assert.doesNotMatch(csp.match(/script-src[^;]*/)?.[0] ?? csp,
        /unsafe-inline/, 'scripts may not be inline');
      for (const op of ['GET /api/v1/articles', 'POST /api/v1/articles',
        'PATCH /api/v1/articles/{id}', 'GET /api/v1/me']) {
        const [method, path] = op.split(' ');
        await operation(page, method, path).locator('.opblock-summary')
          .waitFor();
      }
      assert.deepEqual(seen.violations, [], 'CSP violations');
      assert.deepEqual(seen.console, [], 'console errors');
      assert.deepEqual(seen.foreign, [], 'requests to other origins');
      assert.deepEqual(seen.failed, [], 'failed requests');
    });
  });

test('other pages keep the site-wide policy', async () => {
  const home = await fetch(`${BASE_URL}/`);
  const docs = await fetch(`${BASE_URL}/api/docs/`);
  const site = home.headers.get('content-security-policy');
  assert.match(site, /^default-src 'self';/);
  assert.doesNotMatch(site, /data:|unsafe-inline/);
  assert.notEqual(docs.headers.get('content-security-policy'), site);
});

// axe's serious and critical findings on the page as it is now.
async function seriousAxe(page, what) {
  const bad = (await axe(page)).filter((v) =>
    v.impact === 'serious' || v.impact === 'critical');
  assert.equal(bad.length, 0, `axe on /api/docs/ (${what}):\n` +
    describeViolations(bad));
}

test('the docs page has no serious accessibility problems', async () => {
  await withPage(browser, 'api-docs-a11y', async (page) => {
    await page.goto('/api/docs/');
    await page.locator('.swagger-ui .opblock').first().waitFor();
    // The page as it opens: the site's frame and Swagger UI's list of
    // operations.
    await seriousAxe(page, 'as it opens');
  }, AXE_CONTEXT);
});

test('expanded, tried and executed operations pass axe too', async () => {
  await withPage(browser, 'api-docs-a11y-expanded', async (page) => {
    await page.goto('/api/docs/');
    await page.locator('.swagger-ui .opblock').first().waitFor();
    // Opened: parameters (an enum <select>), the request body's media
    // type and example, the responses' examples (highlighted code that
    // scrolls).
    const get = operation(page, 'GET', '/api/v1/articles');
    const post = operation(page, 'POST', '/api/v1/articles');
    for (const op of [get, post]) {
      await op.locator('.opblock-summary').click();
      await op.locator('.opblock-body').waitFor();
      await op.locator('.responses-table .highlight-code pre').first()
        .waitFor();
    }
    await seriousAxe(page, 'GET and POST /api/v1/articles opened');
    // Try it out: the controls enabled, Cancel and Execute, the request
    // body as a <textarea>; then the GET executed: the curl command,
    // the request URL, the live response's body and headers.
    for (const op of [get, post]) {
      await op.locator('button.try-out__btn').click();
      await op.locator('button.execute').waitFor();
    }
    await post.locator('textarea.body-param__text').waitFor();
    await get.locator('button.execute').click();
    await get.locator('.live-responses-table .highlight-code pre')
      .waitFor();
    await seriousAxe(page, 'tried out, and the GET executed');
  }, AXE_CONTEXT);
});
