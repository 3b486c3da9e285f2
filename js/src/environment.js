// The one place that knows whether we run in Node (files) or elsewhere (fetch).
import { InvalidArgumentError, InvalidModelError } from './errors.js';

// workerd reports process.versions.node under nodejs_compat (its default from 2026-08-04)
// but is not Node here: no package files, no worker_threads.
export const isNode = typeof process !== 'undefined' && !!(process.versions && process.versions.node) &&
  !(typeof navigator !== 'undefined' && navigator.userAgent === 'Cloudflare-Workers');

// Node built-ins, loaded only in Node. The specifier is a variable so that bundlers for
// browsers, workers and edge runtimes leave it alone instead of failing to resolve it.
export function nodeImport(specifier) {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);
}

// Reads a file: URL (Node), or fetches any other URL. `ErrorClass` types the failure.
// cacheName: keep http(s) responses in the Cache API under that name (browsers, workers).
export async function readBytes(url, ErrorClass = InvalidModelError, cacheName = undefined) {
  try {
    if (url.protocol === 'file:') {
      if (!isNode) throw new InvalidArgumentError('file: URLs are only readable in Node');
      const { readFile } = await nodeImport('node:fs/promises');
      const buf = await readFile(url);
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const res = cacheName ? await fetchCached(url, cacheName) : await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw err;
    throw new ErrorClass(`cannot read ${url.href}: ${err.message}`, { cause: err });
  }
}

// The Cache API stores only http(s) requests; anything else is fetched as usual.
async function fetchCached(url, cacheName) {
  if (!globalThis.caches || !/^https?:$/.test(url.protocol)) return fetch(url);
  const cache = await caches.open(cacheName);
  const hit = await cache.match(url.href);
  if (hit) return hit;
  const res = await fetch(url);
  if (res.ok) await cache.put(url.href, res.clone());
  return res;
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

// A model location as a folder URL (with a trailing slash).
export async function toFolderUrl(location) {
  const url = await toUrl(location);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}
