// Every documented path answers as documented: each operation of
// /api/openapi.json is called against the seeded test site (the
// superuser's read,write token from `gazette createtoken`), its path
// parameters filled with real ids and slugs, and each answer must be one
// of the operation's documented statuses, of a documented media type,
// with a body that validates (ajv, JSON Schema 2020-12) against the
// documented schema and the documented required headers.  Besides the
// success of each operation, the errors the document promises are
// provoked where the test can: 401 (bad token), 403 (read-only token),
// 404 (no such object), 400 (unknown field or parameter), 415 (not
// JSON), 412 (stale If-Match), 304 (If-None-Match), 409 (a duplicate
// comment).  Changes are made only to objects the test creates.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { fetchDocument, dereference, makeAjv, call, METHODS, TOKEN,
  READ_TOKEN } from './api_helpers.mjs';

const BAD_TOKEN = 'gz_' + 'A'.repeat(43);
const MISSING_ID = 999999999;
const ajv = makeAjv();
const compiled = new WeakMap();
let ops;          // operationId -> { method, path, op }
const seen = {};  // operationId -> Set of statuses met

before(async () => {
  assert.ok(TOKEN && READ_TOKEN, 'E2E_API_TOKEN and E2E_API_READ_TOKEN ' +
    'are not set: run the tests with tests/e2e/run.sh');
  const { doc } = await fetchDocument();
  const d = await dereference(doc);
  ops = {};
  for (const [path, item] of Object.entries(d.paths))
    for (const method of METHODS)
      if (item[method])
        ops[item[method].operationId] = { method, path, op: item[method] };
});

function fill(path, params) {
  return path.replace(/\{([^}]+)\}/g, (_, name) => {
    assert.ok(params[name] !== undefined, `no value for {${name}}`);
    return encodeURIComponent(String(params[name]));
  });
}

// Call operation id with path params (and query, body, token, headers),
// check the answer against the document, and return it.
async function run(id, params = {}, opts = {}) {
  const o = ops[id];
  assert.ok(o, `the document has no operation ${id}`);
  const url = fill(o.path, params) + (opts.query ? `?${opts.query}` : '');
  const where = `${o.method.toUpperCase()} ${url} (${id})`;
  const res = await call(o.method.toUpperCase(), url, opts);
  const doc = o.op.responses[String(res.status)] ??
    (res.status >= 500 ? o.op.responses.default : undefined);
  assert.ok(doc, `${where}: ${res.status} is not documented ` +
    `(documented: ${Object.keys(o.op.responses).join(', ')}): ` +
    res.text.slice(0, 300));
  (seen[id] ??= new Set()).add(res.status);
  for (const [name, h] of Object.entries(doc.headers || {}))
    if (h.required)
      assert.ok(res.headers.has(name), `${where}: no ${name} header`);
  if (!doc.content) {
    assert.equal(res.text, '', `${where}: a ${res.status} with a body`);
    return res;
  }
  const media = doc.content[res.type];
  assert.ok(media, `${where}: ${res.status} as ${res.type}, documented ` +
    `as ${Object.keys(doc.content).join(', ')}`);
  let validate = compiled.get(media.schema);
  if (!validate) {
    validate = ajv.compile(media.schema);
    compiled.set(media.schema, validate);
  }
  assert.ok(validate(res.body), `${where}: the ${res.status} answer does ` +
    `not match its schema: ${ajv.errorsText(validate.errors)}\n` +
    res.text.slice(0, 500));
  return res;
}

function expect(res, status) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ` +
    res.text.slice(0, 300));
  return res;
}

test('every documented operation answers as documented', async () => {
  // Reading: the seeded site's objects fill the path parameters.
  const list = expect(await run('get_articles'), 200).body;
  assert.ok(list.items.length > 0, 'the seeded site lists no articles');
  const article = list.items.find((a) => a.author) ?? list.items[0];
  assert.ok(list.next, 'the seeded site has one page of articles only');
  expect(await run('get_articles', {},
    { query: new URL(list.next).search.slice(1) }), 200);
  const tags = expect(await run('get_tags'), 200).body.items;
  const me = expect(await run('get_me'), 200).body;
  assert.equal(me.scopes, 'read,write');
  for (const query of ['status=all', 'status=draft',
    `author=${encodeURIComponent(article.author?.username ?? me.username)}`,
    'q=the', 'published_after=2000-01-01',
    'published_before=2100-01-01T00:00:00Z',
    ...(tags.length ? [`tag=${encodeURIComponent(tags[0].slug)}`] : [])])
    expect(await run('get_articles', {}, { query }), 200);
  expect(await run('get_articles', {}, { query: 'nonsense=1' }), 400);
  expect(await run('get_articles', {}, { query: 'status=all',
    token: null }), 403);
  const got = expect(await run('get_article', { id: article.id }), 200);
  expect(await run('get_article', { id: article.id },
    { headers: { 'If-None-Match': got.headers.get('etag') } }), 304);
  expect(await run('get_article', { id: MISSING_ID }), 404);
  expect(await run('get_comments', { id: article.id }), 200);
  expect(await run('get_comments', { id: MISSING_ID }), 404);
  if (article.author)
    expect(await run('get_user', { username: article.author.username }),
      200);
  else
    expect(await run('get_user', { username: me.username }), 200);
  expect(await run('get_user', { username: 'no-such-user-here' }), 404);

  // Writing: an article of the test's own, changed, then trashed.
  const title = `Contract test ${Date.now()}`;
  const made = expect(await run('post_articles', {}, { body: { title,
    body: 'Made by **api_contract.test.mjs**.', tags: ['contract-test'],
    comments_open: true, publish_at: null } }), 201).body;
  assert.equal(made.title, title);
  assert.equal(made.status, 'draft');
  expect(await run('post_articles', {}, { body: { body: 'no title' } }),
    400);
  expect(await run('post_articles', {}, { body: { title, nonsense: 1 } }),
    400);
  expect(await run('post_articles', {}, { body: 'title=x',
    contentType: 'text/plain' }), 415);
  expect(await run('post_articles', {}, { body: { title },
    token: READ_TOKEN }), 403);
  expect(await run('post_articles', {}, { body: { title },
    token: null }), 401);
  const fresh = await call('GET', `/api/v1/articles/${made.id}`);
  const etag = fresh.headers.get('etag');
  const changed = expect(await run('patch_article', { id: made.id },
    { body: { excerpt: 'Changed by the contract test.' },
      headers: { 'If-Match': etag } }), 200).body;
  assert.equal(changed.excerpt, 'Changed by the contract test.');
  expect(await run('patch_article', { id: made.id },
    { body: { title: 'x' }, headers: { 'If-Match': etag } }), 412);
  expect(await run('patch_article', { id: made.id },
    { body: { status: 'no-such-status' } }), 400);
  expect(await run('patch_article', { id: MISSING_ID },
    { body: { title: 'x' } }), 404);
  expect(await run('delete_article', { id: made.id },
    { headers: { 'If-Match': etag } }), 412);
  expect(await run('delete_article', { id: made.id },
    { token: READ_TOKEN }), 403);
  expect(await run('delete_article', { id: made.id }), 204);
  expect(await run('delete_article', { id: MISSING_ID }), 404);

  // Comments: one of the test's own on a seeded article, moderated.
  const body = `A contract test comment, ${Date.now()}.`;
  const comment = expect(await run('post_comments', { id: article.id },
    { body: { body } }), 201).body;
  expect(await run('post_comments', { id: article.id },
    { body: { body } }), 409);
  expect(await run('post_comments', { id: article.id },
    { body: { body: 'x', parent: MISSING_ID } }), 400);
  expect(await run('post_comments', { id: MISSING_ID },
    { body: { body: 'x' } }), 404);
  expect(await run('post_comment_moderate', { id: comment.id },
    { body: { action: 'approve' } }), 200);
  expect(await run('post_comment_moderate', { id: comment.id },
    { body: { action: 'bless' } }), 400);
  expect(await run('post_comment_moderate', { id: MISSING_ID },
    { body: { action: 'trash' } }), 404);
  const trashed = expect(await run('post_comment_moderate',
    { id: comment.id }, { body: { action: 'trash' } }), 200).body;
  assert.equal(trashed.status, 'trash');
});

test('every operation refuses a bad token with a documented 401', async () => {
  for (const [id, o] of Object.entries(ops)) {
    const params = Object.fromEntries([...o.path.matchAll(/\{([^}]+)\}/g)]
      .map((m) => [m[1], m[1] === 'id' ? 1 : 'x']));
    const body = o.op.requestBody ? {} : undefined;
    expect(await run(id, params, { token: BAD_TOKEN, body }), 401);
  }
});

test('every operation was called, and met its success', () => {
  for (const [id, o] of Object.entries(ops)) {
    const ok = Object.keys(o.op.responses).filter((s) => /^2/.test(s));
    assert.ok(ok.some((s) => seen[id]?.has(Number(s))),
      `${id} (${o.method.toUpperCase()} ${o.path}) was never answered ` +
      `with its success ${ok.join('/')}: add it to this test`);
  }
});
