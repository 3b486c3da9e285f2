// The one place that knows whether we run in Node (files) or elsewhere (fetch).
import { InvalidArgumentError, InvalidModelError } from './errors.js';

export const isNode = typeof process !== 'undefined' && !!(process.versions && process.versions.node);

// Reads a file: URL (Node), or fetches any other URL. `ErrorClass` types the failure.
export async function readBytes(url, ErrorClass = InvalidModelError) {
  try {
    if (url.protocol === 'file:') {
      if (!isNode) throw new InvalidArgumentError('file: URLs are only readable in Node');
      const { readFile } = await import('node:fs/promises');
      const buf = await readFile(url);
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw err;
    throw new ErrorClass(`cannot read ${url.href}: ${err.message}`, { cause: err });
  }
}

// A model location as a folder URL (with a trailing slash). Strings are file paths in
// Node unless they look like URLs, and URLs relative to the page elsewhere.
export async function toFolderUrl(location) {
  let url;
  if (location instanceof URL) url = new URL(location.href);
  else if (/^[a-z][a-z0-9+.-]+:/i.test(location)) url = new URL(location);
  else if (isNode) {
    const { pathToFileURL } = await import('node:url');
    url = pathToFileURL(location);
  } else url = new URL(location, globalThis.location ? globalThis.location.href : undefined);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}
