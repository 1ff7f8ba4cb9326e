// Comments: a guest leaves one and sees it held for moderation (and
// nobody else sees it); a new user signs up, logs in and replies to a
// comment, and the reply nests under it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// The form refuses a post sooner than comment_min_seconds (2) after it
// was shown: that is what bots do.  A person takes longer; so do we.
const HUMAN_PAUSE_MS = 2500;

const accountNav = (page) => page.getByRole('navigation', { name: 'Account' });

// The id of the comment the page's URL points at (#comment-ID).
function commentId(page) {
  const m = /#comment-(\d+)$/.exec(page.url());
  assert.ok(m, `the page is at a comment's anchor: ${page.url()}`);
  return m[1];
}

test('a guest comments and sees it awaiting moderation; others do not', () =>
  withPage(browser, 'comments-guest', async (page) => {
    await page.goto('/');
    const first = page.locator('ol.article-list article h2 a').first();
    await Promise.all([page.waitForURL((u) => u.pathname !== '/'),
      first.click()]);
    const articleUrl = new URL(page.url()).pathname;
    const respond = page.locator('#respond');
    assert.match(await respond.innerText(),
      /Your email address will not be published\. Required fields are marked \*/);

    const text = `A guest's thoughts, ${Date.now().toString(36)}.`;
    await page.getByRole('textbox', { name: /^Comment/ }).fill(text);
    await page.getByRole('textbox', { name: /^Name/ }).fill('Ada Guest');
    await page.getByRole('textbox', { name: /^Email/ })
      .fill('ada.guest@example.org');
    await page.waitForTimeout(HUMAN_PAUSE_MS);
    await Promise.all([page.waitForURL(/#comment-\d+$/),
      page.getByRole('button', { name: 'Post comment' }).click()]);

    const id = commentId(page);
    const mine = page.locator(`#comment-${id}`);
    assert.match(await mine.innerText(), new RegExp(
      text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.match(await mine.innerText(),
      /Your comment is awaiting moderation\./);
    assert.doesNotMatch(await mine.innerText(), /ada\.guest@example\.org/,
      'the email is never shown');

    // Another browser (a fresh context) does not see it.
    const other = await browser.newContext({ baseURL: page.url() });
    try {
      const p2 = await other.newPage();
      await p2.goto(new URL(articleUrl, page.url()).href);
      assert.equal(await p2.locator(`#comment-${id}`).count(), 0,
        'a held comment is not shown to other visitors');
    } finally {
      await other.close();
    }
  }));

// The first article (of the first few) that has a comment to reply to.
async function articleWithReplyLink(page) {
  await page.goto('/');
  const hrefs = await page.locator('ol.article-list article h2 a')
    .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const href of hrefs) {
    await page.goto(href);
    if (await page.locator('.comment__reply a').count() > 0)
      return href;
  }
  throw new Error('no article on the home page has a comment with a ' +
    'Reply link (the seed makes comment threads)');
}

test('a new user signs up, logs in and replies to a comment', () =>
  withPage(browser, 'comments-reply', async (page) => {
    const username = `replier${Date.now().toString(36)}`;
    const password = 'Lantern-Harbour-Quill-2026!';

    await page.goto('/accounts/signup/');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Email').fill(`${username}@example.com`);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Password confirmation').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await accountNav(page).getByRole('link', { name: /Signed in as/ })
      .waitFor();
    await accountNav(page).getByRole('button', { name: 'Log out' }).click();
    await accountNav(page).getByRole('link', { name: 'Log in' }).click();
    await page.getByLabel('Username or email').fill(username);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await accountNav(page).getByRole('link', { name: /Signed in as/ })
      .waitFor();

    await articleWithReplyLink(page);
    const reply = page.locator('.comment__reply a').first();
    const parentId = await reply.evaluate((a) =>
      a.closest('article.comment__body').id.replace('comment-', ''));
    await reply.click();
    await page.locator('.respond__replying').waitFor();
    assert.match(await page.locator('.respond__replying').innerText(),
      /Replying to .+ — Cancel reply/);
    // Logged in: no name or email to give.
    assert.equal(await page.locator('#respond input[name="email"]').count(),
      0);
    assert.match(await page.locator('#respond').innerText(),
      new RegExp(`Logged in as ${username}`));

    const text = `I agree, said ${username}.`;
    await page.getByRole('textbox', { name: /^Comment/ }).fill(text);
    await Promise.all([page.waitForURL(/#comment-\d+$/),
      page.getByRole('button', { name: 'Post comment' }).click()]);
    const id = commentId(page);
    // The reply sits in the list of replies under its parent.
    const nested = page.locator(
      `li.comment:has(> article#comment-${parentId}) #comment-${id}`);
    assert.equal(await nested.count(), 1,
      `comment ${id} nests under comment ${parentId}`);
    assert.match(await nested.innerText(), new RegExp(
      text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.match(await nested.innerText(), new RegExp(username));
  }));
