// Accounts: sign up, log out, log in, a wrong password.
// nginx rate-limits /accounts/login/ (10/min, burst 5) per address, so
// this file keeps its visits there few.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const USERNAME = `reader${Date.now().toString(36)}`;
const EMAIL = `${USERNAME}@example.com`;
const PASSWORD = 'Lantern-Harbour-Quill-2026!';

const accountNav = (page) => page.getByRole('navigation', { name: 'Account' });

test('sign up, log out, log in again; a wrong password is refused', () =>
  withPage(browser, 'accounts', async (page) => {
    // Sign up through the form.
    await page.goto('/');
    await accountNav(page).getByRole('link', { name: 'Sign up' }).click();
    assert.equal(await page.locator('main h1').innerText(), 'Sign up');
    await page.getByLabel('Username').fill(USERNAME);
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Password confirmation').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    const signedIn = accountNav(page).getByRole('link', { name: /Signed in as/ });
    await signedIn.waitFor();
    assert.match(await signedIn.innerText(), new RegExp(`Signed in as\\s+${USERNAME}`));

    // Log out with the header button.
    await accountNav(page).getByRole('button', { name: 'Log out' }).click();
    await accountNav(page).getByRole('link', { name: 'Log in' }).waitFor();
    assert.equal(await page.getByText('Signed in as').count(), 0,
      'no longer signed in');

    // Log in again.
    await accountNav(page).getByRole('link', { name: 'Log in' }).click();
    assert.equal(await page.locator('main h1').innerText(), 'Log in');
    await page.getByLabel('Username or email').fill(USERNAME);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    const flash = page.locator('.flashes');
    await flash.waitFor();
    assert.match(await flash.innerText(), /You are now logged in\./);
    assert.match(await accountNav(page).innerText(),
      new RegExp(`Signed in as\\s+${USERNAME}`));

    // Log out, then a wrong password.
    await accountNav(page).getByRole('button', { name: 'Log out' }).click();
    await accountNav(page).getByRole('link', { name: 'Log in' }).click();
    await page.getByLabel('Username or email').fill(USERNAME);
    await page.getByLabel('Password', { exact: true })
      .fill('Not-The-Right-Password-1!');
    await page.getByRole('button', { name: 'Log in' }).click();
    const summary = page.getByRole('alert');
    await summary.first().waitFor();
    assert.match(await page.locator('main').innerText(),
      /Please enter a correct username and password/);
    assert.equal(await page.getByText('Signed in as').count(), 0,
      'a wrong password does not sign in');
  }));
