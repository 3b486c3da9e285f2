// Shared by the JS tests: paths, the skip reason when the wasm core is not built, and
// invariants every compress() result must satisfy.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURE = fileURLToPath(new URL('../../models/fixture/', import.meta.url));
export const CLI = fileURLToPath(new URL('../../js/bin/mooscomp.js', import.meta.url));
export const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

const DIST = new URL('../../js/dist/mooscomp-core.wasm', import.meta.url);
// Tests that need the core skip, saying why, when js/dist is not built (CI builds it first).
export const needsCore = existsSync(DIST) ? false : 'js/dist is not built: run scripts/build.sh first';
export const needsFixture = existsSync(new URL('manifest.json', `file://${FIXTURE}`))
  ? false
  : 'models/fixture is missing';
export const needsBoth = needsCore || needsFixture;

// texts: the contexts as passed to compress().
export function checkResult(r, texts) {
  assert.equal(typeof r.compressedPrompt, 'string');
  assert.ok(Array.isArray(r.compressedPromptList));
  assert.ok(Number.isInteger(r.originTokens) && r.originTokens >= 0);
  assert.ok(Number.isInteger(r.compressedTokens) && r.compressedTokens >= 0);
  assert.ok(r.compressedTokens <= r.originTokens, 'compressed is not longer than the original');
  if (r.originTokens === 0) {
    assert.equal(r.ratio, 1);
    assert.equal(r.rate, 1);
  } else {
    assert.equal(r.rate, r.compressedTokens / r.originTokens);
    assert.equal(r.ratio, r.compressedTokens === 0 ? 1 : r.originTokens / r.compressedTokens);
  }
  for (const k of ['tokenize', 'infer', 'select', 'total']) {
    assert.ok(Number.isFinite(r.timings[k]) && r.timings[k] >= 0, `timings.${k}`);
  }
  assert.equal(r.contextKept.length, texts.length);
  const last = new Map();
  for (const w of r.words) {
    assert.ok(Number.isInteger(w.context) && w.context >= 0 && w.context < texts.length);
    assert.ok(w.start < w.end && w.end <= texts[w.context].length, `word span ${w.start}..${w.end}`);
    assert.equal(w.text, texts[w.context].slice(w.start, w.end));
    assert.ok(w.start >= (last.get(w.context) ?? 0), 'words are in order and do not overlap');
    last.set(w.context, w.end);
    assert.equal(typeof w.keep, 'boolean');
    assert.ok(w.score >= 0 && w.score <= 1, `score ${w.score}`);
  }
  // Kept words appear in the compressed prompt, in order.
  let at = 0;
  for (const w of r.words) {
    if (!w.keep || !r.contextKept[w.context]) continue;
    const found = r.compressedPrompt.indexOf(w.text, at);
    assert.ok(found >= 0, `kept word ${JSON.stringify(w.text)} is in the output after ${at}`);
    at = found + w.text.length;
  }
}

// Rejects with a MooscompError of this class and code.
export async function rejectsWith(promise, ErrorClass, code) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof ErrorClass, `${err && err.name}: ${err && err.message}`);
    assert.equal(err.code, code);
    return true;
  });
}
