// Loading a model folder safely: every file stays inside the folder (after URL decoding and
// after symlinks), only regular files are read, each file has a size limit that holds for
// files and for fetch, the manifest is checked against the ONNX model at load time, and
// onProgress reports the bytes as they arrive.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, openSync, ftruncateSync, closeSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCompressor, InvalidModelError, InvalidArgumentError, MODEL_FILE_LIMITS } from '../../js/src/index.js';
import { loadModel } from '../../js/src/model.js';
import { readBytes } from '../../js/src/environment.js';
import { FIXTURE, ROOT, EXAMPLES, needsFixture, needsBoth, rejectsWith } from './helpers.mjs';

const fixtureManifest = () => JSON.parse(readFileSync(join(FIXTURE, 'manifest.json'), 'utf8'));

// A model folder in a fresh temporary directory: the fixture's files, the manifest changed
// by `edit`, and whatever `extra` adds (it gets the folder path).
function modelFolder(edit = (m) => m, extra = () => {}) {
  const base = mkdtempSync(join(tmpdir(), 'mooscomp-load-'));
  const dir = join(base, 'model');
  mkdirSync(dir);
  for (const f of ['model.onnx', 'tokenizer.model']) copyFileSync(join(FIXTURE, f), join(dir, f));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(edit(fixtureManifest())));
  extra(dir, base);
  return { dir, base, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

async function withFolder(edit, extra, fn) {
  const f = modelFolder(edit, extra);
  try {
    await fn(f);
  } finally {
    f.cleanup();
  }
}

describe('model files stay inside the model folder', { skip: needsFixture }, () => {
  test('percent-encoded, tab and newline traversal in the manifest is refused', async () => {
    const names = [
      '%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '%2e%2e/'.repeat(6) + 'dev/zero',
      '.%2e/secret', '%2E%2E/secret', '.\t./secret', '.\n./secret', 'a/../../secret',
      'sub/%2f..%2f..%2fsecret', 'tokenizer.model?x=1', 'tokenizer.model#x', 'a\\..\\secret',
    ];
    for (const file of names) {
      await withFolder((m) => ({ ...m, tokenizer: { ...m.tokenizer, file } }), (dir, base) => writeFileSync(join(base, 'secret'), 'x'), async ({ dir }) => {
        await rejectsWith(loadModel(dir), InvalidModelError, 'INVALID_MODEL');
      });
    }
  });

  test('a resolved URL outside the folder is refused by the reader too (file: and http:)', async () => {
    const folder = pathToFileURL(FIXTURE);
    for (const rel of ['%2e%2e/default/manifest.json', '.%2E/README.md', 'x/%2e%2e/%2e%2e/README.md', 'model.onnx?a', '..%2fREADME.md']) {
      await rejectsWith(readBytes(new URL(rel, folder), InvalidModelError, { within: folder }), InvalidModelError, 'INVALID_MODEL');
    }
    const web = new URL('http://127.0.0.1:9/models/fixture/');
    await rejectsWith(readBytes(new URL('%2e%2e/other/secret', web), InvalidModelError, { within: web }), InvalidModelError, 'INVALID_MODEL');
    await rejectsWith(readBytes(new URL('//evil.example/x', web), InvalidModelError, { within: web }), InvalidModelError, 'INVALID_MODEL');
  });

  test('a symlink out of the folder is refused; a symlinked folder still loads', async () => {
    await withFolder(undefined, (dir, base) => {
      copyFileSync(join(FIXTURE, 'tokenizer.model'), join(base, 'outside.model'));
      rmSync(join(dir, 'tokenizer.model'));
      symlinkSync(join(base, 'outside.model'), join(dir, 'tokenizer.model'));
    }, async ({ dir }) => {
      await rejectsWith(loadModel(dir), InvalidModelError, 'INVALID_MODEL');
      await assert.rejects(loadModel(dir), /outside the model folder/);
    });
    await withFolder(undefined, (dir, base) => {
      symlinkSync('/etc', join(dir, 'etc'));
    }, async ({ dir }) => {
      const m = fixtureManifest();
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...m, tokenizer: { ...m.tokenizer, file: 'etc/passwd' } }));
      await rejectsWith(loadModel(dir), InvalidModelError, 'INVALID_MODEL');
    });
    // The folder itself reached through a link, and a link that stays inside: both fine.
    await withFolder(undefined, (dir, base) => {
      symlinkSync(dir, join(base, 'linked'));
      rmSync(join(dir, 'model.onnx'));
      mkdirSync(join(dir, 'weights'));
      copyFileSync(join(FIXTURE, 'model.onnx'), join(dir, 'weights', 'real.onnx'));
      symlinkSync(join(dir, 'weights', 'real.onnx'), join(dir, 'model.onnx'));
    }, async ({ base }) => {
      const model = await loadModel(join(base, 'linked'));
      assert.equal(model.onnx.length, statSync(join(FIXTURE, 'model.onnx')).size);
    });
  });
});

describe('only regular files of bounded size are read', { skip: needsFixture }, () => {
  test('a FIFO as a model file is refused at once, not waited on', { timeout: 20_000 }, async () => {
    await withFolder(undefined, (dir) => {
      rmSync(join(dir, 'model.onnx'));
      execFileSync('mkfifo', [join(dir, 'model.onnx')]);
    }, async ({ dir }) => {
      await assert.rejects(loadModel(dir), (err) => err instanceof InvalidModelError && /not a regular file/.test(err.message));
    });
    await withFolder(undefined, (dir) => {
      rmSync(join(dir, 'manifest.json'));
      execFileSync('mkfifo', [join(dir, 'manifest.json')]);
    }, async ({ dir }) => {
      await rejectsWith(loadModel(dir), InvalidModelError, 'INVALID_MODEL');
    });
  });

  test('a device file (/dev/zero through a symlink inside the folder) is refused', { timeout: 20_000 }, async () => {
    // The link target is outside the folder, so this is refused before it is opened; a device
    // node inside the folder cannot be made without root, the FIFO test covers that path.
    await withFolder(undefined, (dir) => {
      rmSync(join(dir, 'model.onnx'));
      symlinkSync('/dev/zero', join(dir, 'model.onnx'));
    }, async ({ dir }) => {
      const before = process.memoryUsage().rss;
      await rejectsWith(loadModel(dir), InvalidModelError, 'INVALID_MODEL');
      assert.ok(process.memoryUsage().rss - before < 64 * 1024 ** 2, 'nothing was read');
    });
    // Read directly (no folder check): still not a regular file.
    await assert.rejects(readBytes(pathToFileURL('/dev/zero')), /not a regular file/);
  });

  test('a file over its limit is refused before it is read (sparse 2 GiB ONNX, small limits)', { timeout: 30_000 }, async () => {
    await withFolder(undefined, (dir) => {
      const fd = openSync(join(dir, 'model.onnx'), 'w');
      ftruncateSync(fd, 2 * 1024 ** 3); // sparse: no disk, no memory
      closeSync(fd);
    }, async ({ dir }) => {
      const before = process.memoryUsage().rss;
      await assert.rejects(loadModel(dir), (err) => err instanceof InvalidModelError && /over the limit of 1073741824 bytes/.test(err.message));
      assert.ok(process.memoryUsage().rss - before < 64 * 1024 ** 2, 'nothing was read');
    });
    const onnxSize = statSync(join(FIXTURE, 'model.onnx')).size;
    for (const [key, limit] of [['onnx', onnxSize - 1], ['tokenizer', 1000], ['manifest', 100]]) {
      await rejectsWith(loadModel(FIXTURE, { limits: { [key]: limit } }), InvalidModelError, 'INVALID_MODEL');
    }
    const ok = await loadModel(FIXTURE, { limits: { onnx: onnxSize } });
    assert.equal(ok.onnx.length, onnxSize);
  });

  test('the documented limits', () => {
    assert.deepEqual({ ...MODEL_FILE_LIMITS }, { manifest: 32 * 1024 ** 2, onnx: 1024 ** 3, tokenizer: 64 * 1024 ** 2 });
    assert.ok(Object.isFrozen(MODEL_FILE_LIMITS));
  });

  test('bad modelLimits and onProgress are InvalidArgumentError', async () => {
    for (const options of [{ modelLimits: 5 }, { modelLimits: { onnx: 0 } }, { modelLimits: { onnx: 1.5 } },
      { modelLimits: { weights: 10 } }, { onProgress: 'yes' }]) {
      await rejectsWith(createCompressor({ model: FIXTURE, ...options }), InvalidArgumentError, 'INVALID_ARGUMENT');
    }
  });
});

describe('model locations', () => {
  test('a data: or blob: URL is an InvalidArgumentError, not a TypeError', async () => {
    for (const model of ['data:application/json,{}', 'data:,x', new URL('data:text/plain,abc'), 'blob:http://127.0.0.1/abc', 'mailto:x@example.com']) {
      await rejectsWith(createCompressor({ model }), InvalidArgumentError, 'INVALID_ARGUMENT');
    }
  });
});

// Nothing runs at load time (a run at max_seq_len cost more than a short prompt's whole
// compression): a manifest that overstates the model fails, with a message that says why,
// on the first window the model cannot run, and short prompts still work.
describe('max_seq_len and hidden_size are checked against the ONNX model when it runs', { skip: needsBoth }, () => {
  const long = readFileSync(join(EXAMPLES, 'meeting.txt'), 'utf8'); // windows of max_seq_len tokens
  test('max_seq_len above the position table: short prompts work, a longer window is an InvalidModelError that names it', async () => {
    for (const maxSeqLen of [1000, 8192]) {
      await withFolder((m) => ({ ...m, max_seq_len: maxSeqLen }), undefined, async ({ dir }) => {
        const c = await createCompressor({ model: dir });
        try {
          assert.ok((await c.compress('A short prompt fits the table.', { rate: 0.5 })).compressedPrompt.length > 0);
          await assert.rejects(c.compress(long, { rate: 0.5 }),
            (err) => err instanceof InvalidModelError && err.message.includes(`max_seq_len ${maxSeqLen}`) && /position table/.test(err.message));
        } finally {
          await c.dispose();
        }
      });
    }
    // Smaller than the table is fine.
    await withFolder((m) => ({ ...m, max_seq_len: 128 }), undefined, async ({ dir }) => {
      const c = await createCompressor({ model: dir });
      try {
        assert.equal(c.model.maxSeqLen, 128);
        assert.ok((await c.compress(long, { rate: 0.5 })).windows > 1);
      } finally {
        await c.dispose();
      }
    });
  });

  test('a wrong hidden_size is an InvalidModelError when the hidden states are read', async () => {
    await withFolder((m) => ({ ...m, hidden_size: 32, hidden_stats: undefined }), undefined, async ({ dir }) => {
      const c = await createCompressor({ model: dir });
      try {
        await rejectsWith(c.compress('Some text to compress.', { rate: 0.5, outlier: 'hidden', alpha: 0.5 }), InvalidModelError, 'INVALID_MODEL');
        assert.ok((await c.compress('Some text to compress.', { rate: 0.5, outlier: 'none' })).compressedPrompt.length > 0);
      } finally {
        await c.dispose();
      }
    });
  });

  test('the failed run prints nothing of onnxruntime on stderr', async () => {
    await withFolder((m) => ({ ...m, max_seq_len: 1000 }), undefined, async ({ dir }) => {
      const script = `import { createCompressor } from ${JSON.stringify(pathToFileURL(join(ROOT, 'js/src/index.js')).href)};
        const c = await createCompressor({ model: ${JSON.stringify(dir)} });
        try { await c.compress(${JSON.stringify(long)}); console.log('compressed'); }
        catch (err) { console.log(err.code); }
        await c.dispose();`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.stdout.trim(), 'INVALID_MODEL');
      assert.equal(r.stderr, '');
    });
  });
});

describe('onProgress while the model loads', { skip: needsBoth }, () => {
  const sizes = () => Object.fromEntries(['manifest.json', 'model.onnx', 'tokenizer.model'].map((f) => [f, statSync(join(FIXTURE, f)).size]));

  function checkEvents(events, cached, withTotals = true) {
    const byFile = Map.groupBy ? Map.groupBy(events, (e) => e.file) : events.reduce((m, e) => m.set(e.file, [...(m.get(e.file) || []), e]), new Map());
    assert.deepEqual([...byFile.keys()].sort(), Object.keys(sizes()).sort());
    for (const [file, list] of byFile) {
      let last = -1;
      for (const e of list) {
        assert.deepEqual(Object.keys(e).sort(), ['cached', 'file', 'loadedBytes', 'stage', 'totalBytes']);
        assert.equal(e.stage, 'model');
        assert.equal(e.cached, cached);
        assert.ok(e.loadedBytes >= last, 'loadedBytes never goes back');
        last = e.loadedBytes;
        assert.equal(e.totalBytes, withTotals ? sizes()[file] : null);
      }
      assert.equal(list[list.length - 1].loadedBytes, sizes()[file], `${file} ends complete`);
    }
  }

  test('files: events per file up to its size, cached', async () => {
    const events = [];
    const c = await createCompressor({ model: FIXTURE, onProgress: (e) => events.push(e) });
    await c.dispose();
    checkEvents(events, true);
  });

  test('an onProgress that throws rejects createCompressor with its error', async () => {
    const boom = new Error('stop loading');
    await assert.rejects(createCompressor({ model: FIXTURE, onProgress: () => { throw boom; } }), (err) => err === boom);
  });

  describe('fetch from a local server', () => {
    let server;
    let base;
    const served = { chunked: false, bigLength: false, endless: false };
    before(async () => {
      server = createServer((req, res) => {
        const name = decodeURIComponent(req.url.split('?')[0]).replace(/^\/m\//, '');
        if (name === 'endless.onnx') {
          // A body with no length that never ends.
          res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
          const chunk = Buffer.alloc(64 * 1024);
          const pump = () => { while (res.write(chunk)); };
          res.on('drain', pump);
          pump();
          return;
        }
        if (name === 'big.onnx') {
          res.writeHead(200, { 'Content-Length': String(3 * 1024 ** 3) });
          return res.end();
        }
        let body;
        try {
          body = readFileSync(join(FIXTURE, name));
        } catch {
          res.writeHead(404);
          return res.end();
        }
        if (name === 'manifest.json' && (served.bigLength || served.endless)) {
          const m = JSON.parse(body);
          m.onnx = served.endless ? 'endless.onnx' : 'big.onnx';
          body = Buffer.from(JSON.stringify(m));
        }
        res.writeHead(200, served.chunked ? {} : { 'Content-Length': body.length });
        res.end(body);
      });
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${server.address().port}/m/`;
    });
    after(() => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    });

    test('with Content-Length: totals known, not cached', async () => {
      const events = [];
      const c = await createCompressor({ model: base, onProgress: (e) => events.push(e) });
      try {
        assert.ok((await c.compress('The answer is 61.')).originTokens > 0);
      } finally {
        await c.dispose();
      }
      checkEvents(events, false);
    });

    test('chunked (no length): totals null, bytes still counted', async () => {
      served.chunked = true;
      try {
        const events = [];
        const model = await loadModel(base, { onProgress: (e) => events.push(e) });
        assert.equal(model.onnx.length, sizes()['model.onnx']);
        checkEvents(events, false, false);
      } finally {
        served.chunked = false;
      }
    });

    test('a Content-Length over the limit is refused before the body is read', async () => {
      served.bigLength = true;
      try {
        await assert.rejects(loadModel(base), (err) => err instanceof InvalidModelError && /over the limit/.test(err.message));
      } finally {
        served.bigLength = false;
      }
    });

    test('an endless body without a length stops at the limit', { timeout: 30_000 }, async () => {
      served.endless = true;
      try {
        await assert.rejects(loadModel(base, { limits: { onnx: 8 * 1024 ** 2 } }),
          (err) => err instanceof InvalidModelError && /over the limit of 8388608 bytes/.test(err.message));
      } finally {
        served.endless = false;
      }
    });
  });
});
