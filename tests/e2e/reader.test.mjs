// A reader: the home page, an article, the older articles and back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('home page lists the latest 20 articles', () =>
  withPage(browser, 'reader-home', async (page) => {
    await page.goto('/');
    assert.equal(await page.locator('h1').innerText(), 'Latest articles');
    const links = page.locator('ol.article-list article h2 a');
    assert.equal(await links.count(), 20, 'the home page shows 20 articles');
  }));

test('clicking an article shows it, titled', () =>
  withPage(browser, 'reader-article', async (page) => {
    await page.goto('/');
    const first = page.locator('ol.article-list article h2 a').first();
    const title = (await first.innerText()).trim();
    assert.ok(title.length > 0, 'the first article has a title');
    await Promise.all([page.waitForURL((u) => u.pathname !== '/'),
      first.click()]);
    assert.equal((await page.locator('main h1').innerText()).trim(), title);
    assert.match(await page.title(), new RegExp(
      title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  }));

test('"Older articles" shows the next page, and back again', () =>
  withPage(browser, 'reader-older', async (page) => {
    await page.goto('/');
    const newest = (await page.locator('ol.article-list article h2 a')
      .first().innerText()).trim();
    await page.getByRole('link', { name: 'Older articles' }).click();
    await page.waitForURL((u) => u.search !== '' || u.pathname !== '/');
    const olderLinks = page.locator('ol.article-list article h2 a');
    // 30 seeded articles, 20 a page: 10 on the second page.
    assert.equal(await olderLinks.count(), 10);
    const olderTitles = await olderLinks.allInnerTexts();
    assert.ok(!olderTitles.map((t) => t.trim()).includes(newest),
      'the older page does not repeat the newest article');
    assert.equal(await page.getByRole('link', { name: 'Older articles' })
      .count(), 0, 'no "Older articles" on the last page');

    await page.goBack();
    assert.equal(await page.locator('h1').innerText(), 'Latest articles');
    assert.equal((await page.locator('ol.article-list article h2 a')
      .first().innerText()).trim(), newest);
    assert.equal(await page.locator('ol.article-list article h2 a').count(),
      20);
  }));
