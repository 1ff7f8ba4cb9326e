// The OpenAPI document (/api/openapi.json) is valid OpenAPI 3.1 by
// @apidevtools/swagger-parser (the official 3.1 schema plus its own
// checks), and complete the way the docs page and clients need: an
// operationId, a summary and tags on every operation, a schema on every
// parameter and request body, problem+json for every error answer, and
// the bearer security scheme.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetchDocument, validateDocument, dereference, METHODS } from
  './api_helpers.mjs';

const { res, doc } = await fetchDocument();

test('the document is served as JSON', () => {
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json/);
});

test('the document is valid OpenAPI 3.1 (swagger-parser)', async () => {
  assert.match(doc.openapi, /^3\.1\.\d+$/);
  await validateDocument(doc);
});

test('every operation is complete', async () => {
  const d = await dereference(doc);
  const ids = new Set();
  const problems = [];
  let n = 0;

  const bearer = doc.components.securitySchemes.bearer;
  assert.equal(bearer.type, 'http');
  assert.equal(bearer.scheme, 'bearer');
  for (const [path, item] of Object.entries(d.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const where = `${method.toUpperCase()} ${path}`;
      n++;
      if (!op.operationId) problems.push(`${where}: no operationId`);
      else if (ids.has(op.operationId))
        problems.push(`${where}: operationId ${op.operationId} twice`);
      ids.add(op.operationId);
      if (!op.summary) problems.push(`${where}: no summary`);
      if (!op.tags?.length) problems.push(`${where}: no tags`);
      if (!op.security) problems.push(`${where}: no security`);
      const holes = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const p of op.parameters || []) {
        if (!p.schema?.type) problems.push(`${where}: ${p.name} untyped`);
        if (p.in === 'path' && !holes.includes(p.name))
          problems.push(`${where}: ${p.name} is not in the path`);
      }
      for (const h of holes)
        if (!(op.parameters || []).some((p) => p.in === 'path' &&
          p.name === h))
          problems.push(`${where}: path parameter ${h} not described`);
      const body = op.requestBody?.content?.['application/json']?.schema;
      if (op.requestBody && !body)
        problems.push(`${where}: request body without a JSON schema`);
      for (const [name, s] of Object.entries(body?.properties || {}))
        if (!s.type && !s.enum && !s.oneOf && !s.anyOf)
          problems.push(`${where}: body field ${name} is untyped`);
      for (const [status, r] of Object.entries(op.responses)) {
        if (!/^[45]\d\d$/.test(status) && status !== 'default') continue;
        const s = r.content?.['application/problem+json']?.schema;
        if (!s || !s.properties?.status)
          problems.push(`${where}: ${status} is not problem+json`);
      }
      if (!Object.keys(op.responses).some((s) => /^2/.test(s)))
        problems.push(`${where}: no success answer`);
      if (!op.responses['401'] || !op.responses['429'])
        problems.push(`${where}: 401 or 429 not documented`);
    }
  }
  assert.ok(n >= 10, `only ${n} operations`);
  assert.deepEqual(problems, []);
});
