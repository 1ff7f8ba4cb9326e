// The admin (/admin/): a moderator approves a held comment in the
// moderation queue and readers see it on the article; an editor writes an
// article with the Markdown preview (the Preview button, and the live
// preview as they type), publishes it, and it is on the home page; and
// axe-core finds no serious or critical problem on the admin's main
// pages.  The staff accounts are made by run.sh (E2E_* in the
// environment): a superuser, a moderator (group Moderators) and an editor
// (group Editors), all plain is_staff but the superuser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, withPage, AXE_CONTEXT, axe, describeViolations }
  from './helpers.mjs';

const ACCOUNTS = {};
for (const who of ['admin', 'moderator', 'editor']) {
  const user = process.env[`E2E_${who.toUpperCase()}_USER`];
  const password = process.env[`E2E_${who.toUpperCase()}_PASSWORD`];
  if (!user || !password)
    throw new Error(`E2E_${who.toUpperCase()}_USER/_PASSWORD are not set: ` +
      'run the tests with tests/e2e/run.sh');
  ACCOUNTS[who] = { user, password };
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// The comment form refuses a post sooner than comment_min_seconds (2)
// after it was shown (comments.test.mjs).
const HUMAN_PAUSE_MS = 2500;

const reEscape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// nginx rate-limits /accounts/login/ per address (10 a minute, burst 5),
// and the other files log in too.  So each account logs in once here (the
// superuser's session is shared, see adminSession()); on a 429 we wait for
// room for two requests (the form and the post: one every 6 s) and try
// again; and before the next file starts we leave it that much room.
const LOGIN_ROOM_MS = 13000;
let lastLoginAt = 0;
after(async () => {
  const wait = lastLoginAt + LOGIN_ROOM_MS - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
});

// Log in through the site's form, landing on `next` (an admin page).
async function logIn(page, who, next = '/admin/') {
  const { user, password } = ACCOUNTS[who];
  const url = `/accounts/login/?next=${encodeURIComponent(next)}`;
  for (let attempt = 1; ; attempt++) {
    const limited = async (status) => {
      lastLoginAt = Date.now();
      if (status !== 429) return false;
      assert.ok(attempt < 8, `${url} still answers 429 after ${attempt} tries`);
      await page.waitForTimeout(LOGIN_ROOM_MS);
      return true;
    };
    const got = await page.goto(url);
    if (await limited(got.status())) continue;
    assert.equal(got.status(), 200, `GET ${url}`);
    await page.getByLabel('Username or email').fill(user);
    await page.getByLabel('Password', { exact: true }).fill(password);
    const [posted] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' &&
        new URL(r.url()).pathname === '/accounts/login/'),
      page.getByRole('button', { name: 'Log in' }).click(),
    ]);
    if (await limited(posted.status())) continue;
    await page.waitForURL((u) => u.pathname === new URL(next, u).pathname);
    await page.locator('main h1').waitFor();
    return;
  }
}

// The superuser's session, logged in once and shared by the axe checks.
let adminState;
async function adminSession() {
  if (!adminState) {
    adminState = (async () => {
      const context = await browser.newContext({ baseURL: BASE_URL });
      context.setDefaultTimeout(10000);
      try {
        await logIn(await context.newPage(), 'admin');
        return await context.storageState();
      } finally {
        await context.close();
      }
    })();
  }
  return adminState;
}

// (A form posted back to its own address: Promise.all with
// page.waitForEvent('load'), the new document's, not waitForLoadState,
// which the old one already satisfies.)

// The admin's flash messages (ul.messages), as text.
const messages = (page) => page.locator('main ul.messages').innerText();

test('a moderator approves a held comment and it appears on the article',
  () => withPage(browser, 'admin-moderation', async (page) => {
    // A guest (a browser of their own) comments: held for moderation (the
    // default rule holds a first-time commenter's comment).
    const stamp = Date.now().toString(36);
    const text = `Held until a moderator reads it, ${stamp}.`;
    const author = `Grace Held ${stamp}`;
    let articlePath, id;
    const guestContext = await browser.newContext({ baseURL: BASE_URL });
    guestContext.setDefaultTimeout(10000);
    try {
      const guest = await guestContext.newPage();
      await guest.goto('/');
      await Promise.all([guest.waitForURL((u) => u.pathname !== '/'),
        guest.locator('ol.article-list article h2 a').first().click()]);
      articlePath = new URL(guest.url()).pathname;
      await guest.getByRole('textbox', { name: /^Comment/ }).fill(text);
      await guest.getByRole('textbox', { name: /^Name/ }).fill(author);
      await guest.getByRole('textbox', { name: /^Email/ })
        .fill(`grace.${stamp}@example.org`);
      await guest.waitForTimeout(HUMAN_PAUSE_MS);
      await Promise.all([guest.waitForURL(/#comment-\d+$/),
        guest.getByRole('button', { name: 'Post comment' }).click()]);
      id = /#comment-(\d+)$/.exec(guest.url())[1];
      assert.match(await guest.locator(`#comment-${id}`).innerText(),
        /Your comment is awaiting moderation\./);
    } finally {
      await guestContext.close();
    }

    // Readers do not see it yet.
    const reader = await browser.newContext({ baseURL: BASE_URL });
    try {
      const p = await reader.newPage();
      await p.goto(articlePath);
      assert.equal(await p.locator(`#comment-${id}`).count(), 0,
        'a held comment is not shown to readers');
    } finally {
      await reader.close();
    }

    // The moderator logs in and approves it from the queue.
    await logIn(page, 'moderator', '/admin/moderation/');
    assert.match(await page.locator('main h1').innerText(), /Moderation/);
    const row = page.locator(`tr#comment-${id}`);
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(reEscape(text)));
    assert.match(await row.innerText(), new RegExp(reEscape(author)));
    // The row's own button (form="row-ID"): "Approve the comment by …".
    await Promise.all([page.waitForEvent('load'),
      row.getByRole('button', { name: /^Approve/ }).click()]);
    await page.locator('main ul.messages').waitFor();
    assert.match(await messages(page), /approved/i);
    assert.equal(await page.locator(`tr#comment-${id}`).count(), 0,
      'an approved comment leaves the pending queue');
    // It is under the Approved tab now.
    await page.getByRole('navigation', { name: 'Status' })
      .getByRole('link', { name: /^Approved/ }).click();
    await page.locator(`tr#comment-${id}`).waitFor();

    // A reader (no cookies) sees it on the article, no longer held.
    const anon = await browser.newContext({ baseURL: BASE_URL });
    try {
      const p = await anon.newPage();
      await p.goto(articlePath);
      const shown = p.locator(`#comment-${id}`);
      assert.equal(await shown.count(), 1,
        `comment ${id} is on ${articlePath} once approved`);
      assert.match(await shown.innerText(), new RegExp(reEscape(text)));
      assert.match(await shown.innerText(), new RegExp(reEscape(author)));
      assert.doesNotMatch(await shown.innerText(), /awaiting moderation/);
    } finally {
      await anon.close();
    }
  }));

// Move the article titled `title` to the trash, from its change form.
async function trash(page, title) {
  await page.goto('/admin/article/');
  await Promise.all([page.waitForURL(/\/admin\/article\/\d+\/$/),
    page.locator('#result_list tbody th a', { hasText: title }).click()]);
  await page.getByLabel('Status').selectOption('trash');
  await Promise.all([page.waitForURL((u) => u.pathname === '/admin/article/'),
    page.getByRole('button', { name: 'Save', exact: true }).click()]);
}

test('an editor writes an article with the Markdown preview, publishes it, ' +
  'and it is on the home page', () =>
  withPage(browser, 'admin-editor', async (page) => {
    await logIn(page, 'editor', '/admin/article/add/');
    assert.match(await page.locator('main h1').innerText(), /Add article/);

    const stamp = Date.now().toString(36);
    const title = `Night ferries of the northern fjords ${stamp}`;
    const body = [
      'The **last ferry** leaves at midnight.',
      '',
      '- tickets on board',
      '- bicycles free',
      '',
      `Footnote _${stamp}_.`,
    ].join('\n');
    await page.getByLabel('Title').fill(title);
    // admin.js types the slug from the title.
    assert.equal(await page.getByLabel('Slug').inputValue(),
      `night-ferries-of-the-northern-fjords-${stamp}`);
    const bodyBox = page.locator('textarea[name="body"]');
    await bodyBox.fill(body);
    await page.locator('input[name="tags"]').first().check();
    const tagLabel = (await page.locator('ul.checkbox-list li label').first()
      .innerText()).trim();

    // The live preview (admin.js, POST /admin/preview/) follows the typing.
    const preview = page.locator('section.preview');
    await preview.locator('strong', { hasText: 'last ferry' }).waitFor();
    assert.equal(await preview.locator('li').count(), 2);
    await bodyBox.press('End');
    await bodyBox.pressSequentially(' Then *dawn*.');
    await preview.locator('em', { hasText: 'dawn' }).waitFor();

    // The Preview button (no JavaScript needed): the form comes back with
    // what was typed and the rendered preview, and nothing is saved.
    await bodyBox.fill(body);
    await Promise.all([page.waitForEvent('load'),
      page.getByRole('button', { name: 'Preview' }).click()]);
    await page.locator('section.preview strong').waitFor();
    assert.equal(new URL(page.url()).pathname, '/admin/article/add/');
    assert.equal(await preview.locator('strong').innerText(), 'last ferry');
    assert.deepEqual(await preview.locator('li').allInnerTexts(),
      ['tickets on board', 'bicycles free']);
    assert.equal(await preview.locator('em').innerText(), stamp);
    assert.equal(await page.getByLabel('Title').inputValue(), title);
    assert.equal(await bodyBox.inputValue(), body);
    assert.ok(await page.locator('input[name="tags"]').first().isChecked(),
      'the tag stays ticked');
    assert.equal(await page.locator('main ul.messages').count(), 0,
      'a preview saves nothing and says nothing');

    // Publish.
    await page.getByLabel('Status').selectOption({ label: 'Published' });
    await Promise.all([page.waitForURL((u) =>
      u.pathname === '/admin/article/'),
    page.getByRole('button', { name: 'Save', exact: true }).click()]);
    assert.match(await messages(page), new RegExp(reEscape(title)));

    // A reader sees it at the top of the home page, and it opens.
    const anon = await browser.newContext({ baseURL: BASE_URL });
    try {
      const p = await anon.newPage();
      await p.goto('/');
      const link = p.locator('ol.article-list article h2 a',
        { hasText: title });
      assert.equal(await link.count(), 1, 'the new article is listed');
      assert.equal((await p.locator('ol.article-list article h2 a').first()
        .innerText()).trim(), title, 'newest first');
      await Promise.all([p.waitForURL((u) => u.pathname !== '/'),
        link.click()]);
      assert.equal(new URL(p.url()).pathname,
        `/articles/night-ferries-of-the-northern-fjords-${stamp}/`);
      assert.match(await p.locator('main').innerText(),
        new RegExp(reEscape(tagLabel)));
      assert.equal(await p.locator('main strong', { hasText: 'last ferry' })
        .count(), 1, 'the body is rendered from Markdown');
    } finally {
      await anon.close();
      // Leave the site as it was (reader.test.mjs counts the seeded
      // articles): the editor moves the article to the trash.  (Runs on
      // failure too; then the first error is the one reported.)
      await trash(page, title).catch((err) =>
        console.log(`could not trash "${title}": ${err.message}`));
    }
    const after = await browser.newContext({ baseURL: BASE_URL });
    try {
      const p = await after.newPage();
      await p.goto('/');
      assert.equal(await p.locator('ol.article-list article h2 a',
        { hasText: title }).count(), 0, 'a trashed article is not listed');
    } finally {
      await after.close();
    }
  }));

// axe-core on the admin's pages, logged in as the superuser (who may see
// them all), in the light and the dark colour scheme (admin.css has both).
// Any serious or critical violation fails.
async function checkAdmin(name, path, pagePrep) {
  const storageState = await adminSession();
  await withPage(browser, `a11y-admin-${name}`, async (page) => {
    const got = await page.goto(path);
    assert.equal(got.status(), 200, `GET ${path}`);
    assert.equal(new URL(page.url()).pathname, path,
      'the admin session is good (no redirect to the login page)');
    assert.equal(await page.locator('body.admin').count(), 1);
    if (pagePrep) await pagePrep(page);
    const problems = [];
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      const violations = await axe(page);
      const bad = violations.filter((v) =>
        v.impact === 'serious' || v.impact === 'critical');
      const minor = violations.filter((v) => !bad.includes(v));
      if (minor.length)
        console.log(`axe, admin ${name}, ${colorScheme} (${page.url()}), ` +
          `minor:\n${describeViolations(minor)}`);
      if (bad.length)
        problems.push(`${colorScheme}:\n${describeViolations(bad)}`);
    }
    assert.equal(problems.length, 0,
      `axe found serious/critical problems on the admin ${name} page ` +
      `(${page.url()}):\n${problems.join('\n')}`);
  }, { ...AXE_CONTEXT, storageState });
}

test('the admin index has no serious accessibility problems', () =>
  checkAdmin('index', '/admin/'));

test('the article changelist has no serious accessibility problems', () =>
  checkAdmin('changelist', '/admin/article/'));

test('an article change form has no serious accessibility problems', () =>
  checkAdmin('change-form', '/admin/article/', async (page) => {
    // The first article in the list: /admin/article/<id>/.
    await Promise.all([page.waitForURL(/\/admin\/article\/\d+\/$/),
      page.locator('#result_list tbody th a').first().click()]);
    await page.locator('form#article_form').waitFor();
  }));

test('the moderation queue has no serious accessibility problems', () =>
  checkAdmin('moderation', '/admin/moderation/'));

test('the add-user form has no serious accessibility problems', () =>
  checkAdmin('user-add', '/admin/user/add/'));

test('an article form with a preview and with errors has no serious ' +
  'accessibility problems', () =>
  checkAdmin('change-form-errors', '/admin/article/add/', async (page) => {
    await page.locator('textarea[name="body"]')
      .fill('A *preview*, with [a link](https://example.org/).');
    await Promise.all([page.waitForEvent('load'),
      page.getByRole('button', { name: 'Preview' }).click()]);
    await page.locator('section.preview em').waitFor();
    // No title: the form comes back with its errors.
    await Promise.all([page.waitForEvent('load'),
      page.getByRole('button', { name: 'Save', exact: true }).click()]);
    await page.locator('.errornote').waitFor();
    assert.equal(await page.getByLabel('Title').getAttribute('aria-invalid'),
      'true');
  }));
