// Shared setup for the API tests (api_*.test.mjs; no browser): the
// site's OpenAPI document, validated by @apidevtools/swagger-parser, and
// ajv (JSON Schema 2020-12, OpenAPI 3.1's dialect) for the answers.
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export const BASE_URL = (process.env.BASE_URL || '').replace(/\/+$/, '');
if (!BASE_URL)
  throw new Error('BASE_URL is not set: run the tests with tests/e2e/run.sh');
export const TOKEN = process.env.E2E_API_TOKEN;
export const READ_TOKEN = process.env.E2E_API_READ_TOKEN;

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head',
  'patch', 'trace'];

// The document as the site serves it, and the response.
export async function fetchDocument() {
  const res = await fetch(`${BASE_URL}/api/openapi.json`);
  const text = await res.text();
  return { res, doc: JSON.parse(text) };
}

// Validate doc (a copy: the parser dereferences in place): resolves, or
// rejects with the validator's message.
export async function validateDocument(doc) {
  return SwaggerParser.validate(structuredClone(doc));
}

// The document with every $ref replaced by its target.
export async function dereference(doc) {
  return SwaggerParser.dereference(structuredClone(doc));
}

// A JSON Schema validator for the document's schemas.
export function makeAjv() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv;
}

// A fetch of the API with the token (or none), a JSON body if any, and
// what came back: { status, type (media type alone), headers, body
// (parsed JSON or null), text }.
export async function call(method, path, { token = TOKEN, body,
  contentType = 'application/json', headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  let payload;
  if (body !== undefined) {
    h['Content-Type'] = contentType;
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await fetch(BASE_URL + path, { method, headers: h,
    body: payload, redirect: 'manual' });
  const text = await res.text();
  const type = (res.headers.get('content-type') || '').split(';')[0].trim();
  let json = null;
  if (/json$/.test(type) && text !== '') json = JSON.parse(text);
  return { status: res.status, type, headers: res.headers, body: json,
    text };
}
