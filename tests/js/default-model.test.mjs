// Where createCompressor() finds its model when given none: next to the package only, and
// a clear InvalidModelError (saying how to pass `model:`) when it is not there, whatever
// the server answers instead.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findDefaultModel } from '../../js/src/default-model.js';
import { InvalidModelError } from '../../js/src/index.js';
import { ROOT } from './helpers.mjs';

const MANIFEST = readFileSync(join(ROOT, 'models/fixture/manifest.json'));

// Answers every path as `handler(path)` says: [status, contentType, body].
async function server(handler) {
  const s = createServer((req, res) => {
    const [status, type, body] = handler(new URL(req.url, 'http://x').pathname);
    res.writeHead(status, type ? { 'content-type': type } : {}).end(body);
  });
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${s.address().port}/app/out/bundle.js`, close: () => new Promise((r) => s.close(r)) };
}

async function rejectsWithHint(promise, pattern) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof InvalidModelError, err.stack);
    assert.equal(err.code, 'INVALID_MODEL');
    assert.match(err.message, /createCompressor\(\{ model:/);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('default model resolution over HTTP', () => {
  const servers = [];
  after(() => Promise.all(servers.map((s) => s.close())));
  const start = async (handler) => {
    const s = await server(handler);
    servers.push(s);
    return s.base;
  };

  test('a 404 is an InvalidModelError that says how to pass model', async () => {
    await rejectsWithHint(findDefaultModel(await start(() => [404, 'text/plain', 'nope'])), /HTTP 404/);
  });

  test("a dev server's SPA fallback (index.html with 200) is not a model", async () => {
    const html = '<!doctype html><title>app</title>';
    await rejectsWithHint(findDefaultModel(await start(() => [200, 'text/html', html])), /text\/html/);
  });

  test('a 200 that is not JSON is not a model', async () => {
    await rejectsWithHint(findDefaultModel(await start(() => [200, 'application/octet-stream', '<html>'])), /not JSON/);
  });

  test('a JSON manifest next to the package is found (the package copy first)', async () => {
    const base = await start((path) => (path === '/app/models/default/manifest.json'
      ? [200, 'application/json', MANIFEST] : [404, 'text/plain', '']));
    assert.equal((await findDefaultModel(base)).href, new URL('../models/default/', base).href);
  });
});

describe('default model resolution', () => {
  test('no location (workerd has no import.meta.url) is an InvalidModelError', async () => {
    await rejectsWithHint(findDefaultModel(undefined), /no location/);
  });

  test('a file: location without models/default never falls back to another model', async () => {
    await rejectsWithHint(findDefaultModel('file:///nonexistent/mooscomp/src/default-model.js'), /ENOENT/);
  });

  test('in this checkout, models/default (js/models/default while a pack runs)', async () => {
    const url = await findDefaultModel(new URL('../../js/src/default-model.js', import.meta.url).href);
    assert.ok([new URL('../../models/default/', import.meta.url).href, new URL('../../js/models/default/', import.meta.url).href]
      .includes(url.href), url.href);
  });
});
