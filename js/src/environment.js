// The one place that knows whether we run in Node (files) or elsewhere (fetch).
import { InvalidArgumentError, InvalidModelError, MooscompError } from './errors.js';

// workerd reports process.versions.node under nodejs_compat (its default from 2026-08-04)
// but is not Node here: no package files, no worker_threads.
export const isNode = typeof process !== 'undefined' && !!(process.versions && process.versions.node) &&
  !(typeof navigator !== 'undefined' && navigator.userAgent === 'Cloudflare-Workers');

// Node built-ins, loaded only in Node. The specifier is a variable so that bundlers for
// browsers, workers and edge runtimes leave it alone instead of failing to resolve it.
export function nodeImport(specifier) {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);
}

// What readBytes reads at most when the caller names no limit (the wasm files).
const DEFAULT_READ_LIMIT = 1024 ** 3;
const FILE_CHUNK = 1 << 20;

// An exception thrown by the caller's progress callback: passed through as it is, never
// dressed up as a model error.
export class CallbackError {
  constructor(error) { this.error = error; }
}

// Reads a file: URL (Node), or fetches any other URL. `ErrorClass` types the failure.
// options:
//   limit:      the most bytes to read; a larger file is an error, found before reading it
//               (file size, Content-Length) or while streaming (no length given).
//   within:     a folder URL the file must lie in, also after following symlinks (file:).
//   cacheName:  keep http(s) responses in the Cache API under that name (browsers, workers).
//   onProgress: called with {loadedBytes, totalBytes (null when unknown), cached} as bytes arrive.
export async function readBytes(url, ErrorClass = InvalidModelError, options = {}) {
  const { limit = DEFAULT_READ_LIMIT, within, cacheName, onProgress = () => {} } = options;
  try {
    if (within) checkInside(url, within);
    if (url.protocol === 'file:') {
      if (!isNode) throw new InvalidArgumentError('file: URLs are only readable in Node');
      return await readFileCapped(url, limit, within, onProgress);
    }
    const { res, cached } = cacheName ? await fetchCached(url, cacheName) : { res: await fetch(url), cached: false };
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const bytes = await readBodyCapped(res, limit, (loaded, total) => onProgress({ loadedBytes: loaded, totalBytes: total, cached }));
    if (cacheName && !cached) await storeCached(url, res, bytes, cacheName);
    return bytes;
  } catch (err) {
    if (err instanceof InvalidArgumentError || err instanceof CallbackError) throw err;
    if (err instanceof MooscompError && err.code === 'INVALID_MODEL') throw err;
    throw new ErrorClass(`cannot read ${url.href}: ${err.message}`, { cause: err });
  }
}

// A URL resolved against a folder must stay in it: same scheme and host, no query or
// fragment, and its decoded path below the folder's with no dot segments. The URL parser
// resolves `%2e%2e` as `..` and drops tabs and newlines, so only the resolved URL is trusted.
function checkInside(url, folder) {
  const below = url.protocol === folder.protocol && url.host === folder.host && !url.search && !url.hash &&
    url.pathname.startsWith(folder.pathname) && url.pathname.length > folder.pathname.length;
  if (below) {
    let rest;
    try {
      rest = decodeURIComponent(url.pathname.slice(folder.pathname.length));
    } catch {
      rest = undefined;
    }
    if (rest !== undefined && !/[\\\0]/.test(rest) && !rest.split('/').some((s) => s === '' || s === '.' || s === '..')) return;
  }
  throw new InvalidModelError(`${url.href} is outside the model folder ${folder.href}`);
}

// Regular files only, opened without blocking (a FIFO would wait for a writer forever), read
// in chunks up to the limit. With `within`, the real path must stay in the real folder.
async function readFileCapped(url, limit, within, onProgress) {
  const { open, realpath } = await nodeImport('node:fs/promises');
  const { constants } = await nodeImport('node:fs');
  const { fileURLToPath } = await nodeImport('node:url');
  const { sep } = await nodeImport('node:path');
  let path = fileURLToPath(url);
  if (within) {
    const real = await realpath(path);
    const root = await realpath(fileURLToPath(within));
    if (!real.startsWith(root.endsWith(sep) ? root : root + sep)) {
      throw new InvalidModelError(`${url.href} leads outside the model folder (to ${real})`);
    }
    path = real;
  }
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new InvalidModelError(`${url.href} is not a regular file`);
    if (info.size > limit) throw tooLarge(url, limit, info.size);
    const total = info.size;
    // One byte more than the size: a file that grows while we read is caught, not cut.
    const out = new Uint8Array(total + 1);
    let loaded = 0;
    onProgress({ loadedBytes: 0, totalBytes: total, cached: true });
    for (;;) {
      const want = Math.min(FILE_CHUNK, out.length - loaded);
      if (want === 0) throw new InvalidModelError(`${url.href} changed while it was read`);
      const { bytesRead } = await handle.read(out, loaded, want, null);
      if (bytesRead === 0) break;
      loaded += bytesRead;
      onProgress({ loadedBytes: loaded, totalBytes: total, cached: true });
    }
    if (loaded !== total) throw new InvalidModelError(`${url.href} changed while it was read`);
    return out.subarray(0, loaded);
  } finally {
    await handle.close();
  }
}

// A response body, refused up front when Content-Length says it is too large and cut off
// (an error, not a truncation) when the stream passes the limit.
async function readBodyCapped(res, limit, progress) {
  const header = res.headers.get('content-length');
  const declared = header !== null && /^\d+$/.test(header.trim()) ? Number(header) : null;
  // A compressed transfer's Content-Length counts the wire bytes, not the body we read.
  const total = declared !== null && !res.headers.get('content-encoding') ? declared : null;
  if (total !== null && total > limit) throw tooLarge(new URL(res.url || 'about:blank'), limit, total);
  progress(0, total);
  if (!res.body) {
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length > limit) throw tooLarge(new URL(res.url || 'about:blank'), limit, bytes.length);
    progress(bytes.length, total);
    return bytes;
  }
  const reader = res.body.getReader();
  const chunks = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    loaded += value.length;
    if (loaded > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(new URL(res.url || 'about:blank'), limit, `more than ${limit}`);
    }
    chunks.push(value);
    progress(loaded, total);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function tooLarge(url, limit, size) {
  return new InvalidModelError(`${url.href} is ${size} bytes, over the limit of ${limit} bytes`, { limit });
}

// The Cache API stores only http(s) requests; anything else is fetched as usual.
async function fetchCached(url, cacheName) {
  if (!globalThis.caches || !/^https?:$/.test(url.protocol)) return { res: await fetch(url), cached: false };
  const cache = await caches.open(cacheName);
  const hit = await cache.match(url.href);
  if (hit) return { res: hit, cached: true };
  return { res: await fetch(url), cached: false };
}

// Only a body read in full, within the limit, is stored.
async function storeCached(url, res, bytes, cacheName) {
  if (!globalThis.caches || !/^https?:$/.test(url.protocol)) return;
  const headers = new Headers(res.headers);
  headers.delete('content-encoding');
  headers.set('content-length', String(bytes.length));
  const cache = await caches.open(cacheName);
  await cache.put(url.href, new Response(bytes, { status: res.status, statusText: res.statusText, headers }));
}

// A location as a URL. Strings are file paths in Node unless they look like URLs, and
// URLs relative to the page elsewhere.
export async function toUrl(location) {
  if (location instanceof URL) return new URL(location.href);
  if (/^[a-z][a-z0-9+.-]+:/i.test(location)) return new URL(location);
  if (isNode) {
    const { pathToFileURL } = await nodeImport('node:url');
    return pathToFileURL(location);
  }
  return new URL(location, globalThis.location ? globalThis.location.href : undefined);
}

// A model location as a folder URL (with a trailing slash). Only hierarchical URLs name a
// folder: data:, blob: and other opaque URLs have no files beside them.
export async function toFolderUrl(location) {
  let url;
  try {
    url = await toUrl(location);
  } catch (err) {
    throw new InvalidArgumentError(`model location ${JSON.stringify(String(location))} is not a valid path or URL`, { cause: err });
  }
  if (!url.pathname.startsWith('/')) {
    throw new InvalidArgumentError(`model must be a folder path or a folder URL (file:, http:, https:, an extension URL), not a ${url.protocol} URL`);
  }
  if (url.search || url.hash) throw new InvalidArgumentError('a model folder URL cannot have a query or a fragment');
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}
