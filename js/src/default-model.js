// Where the model comes from when createCompressor() is given none, resolved from this
// file: the copy the npm package ships (js/models/default, written by `npm pack`), else in
// a checkout the trained default if it exists, else the small fixture model.
import { isNode, nodeImport } from './environment.js';

const CANDIDATES = ['../models/default/', '../../models/default/', '../../models/fixture/'];

export async function defaultModelUrl() {
  const urls = CANDIDATES.map((p) => new URL(p, import.meta.url));
  for (const url of urls) {
    if (await exists(new URL('manifest.json', url))) return url;
  }
  return urls[urls.length - 1];
}

async function exists(url) {
  try {
    if (isNode && url.protocol === 'file:') {
      const { access } = await nodeImport('node:fs/promises');
      await access(url);
      return true;
    }
    const res = await fetch(url, { method: 'HEAD' });
    return res.ok;
  } catch {
    return false;
  }
}
