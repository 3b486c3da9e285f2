// Where the model comes from when createCompressor() is given none: the trained default
// if this checkout has it, else the small fixture model. Resolved from this file, so it
// works from the repository; packaging may later point these elsewhere.
import { isNode } from './environment.js';

const CANDIDATES = ['../../models/default/', '../../models/fixture/'];

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
      const { access } = await import('node:fs/promises');
      await access(url);
      return true;
    }
    const res = await fetch(url, { method: 'HEAD' });
    return res.ok;
  } catch {
    return false;
  }
}
