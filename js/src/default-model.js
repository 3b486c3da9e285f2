// Where the model comes from when createCompressor() is given none, resolved from this
// file: the copy the npm package ships (js/models/default, written by `npm pack`), else in
// a checkout the trained model in models/default. Nothing else: a bundle or a server that
// lacks both gets an InvalidModelError saying how to pass `model`, never another model.
import { InvalidModelError } from './errors.js';
import { isNode, nodeImport } from './environment.js';

const CANDIDATES = ['../models/default/', '../../models/default/'];

const HOW_TO = 'pass the model explicitly, e.g. createCompressor({ model: \'/assets/model/\' }) after copying '
  + 'node_modules/mooscomp/models/default/ to be served there (bundlers move code, not the files beside it; '
  + 'see the README, "Browser app with a bundler")';

export function defaultModelUrl() {
  return findDefaultModel(import.meta.url); // undefined in workerd
}

// `base`: the URL this module was loaded from. Returns the model folder's URL.
export async function findDefaultModel(base) {
  if (!base) throw new InvalidModelError(`no model given, and this runtime gives no location to find the default one: ${HOW_TO}`);
  const urls = CANDIDATES.map((p) => new URL(p, base));
  const reasons = [];
  for (const url of urls) {
    const reason = await notAModel(new URL('manifest.json', url));
    if (!reason) return url;
    reasons.push(`${url.href}manifest.json: ${reason}`);
  }
  throw new InvalidModelError(`no model given, and the default model is not next to the package (${reasons.join('; ')}): ${HOW_TO}`);
}

// Why the manifest at `url` is not there (a string), or '' when it is. Over HTTP a 200 is
// not enough: a dev server's SPA fallback answers any path with index.html.
async function notAModel(url) {
  try {
    if (url.protocol === 'file:') {
      if (!isNode) return 'file: URLs are only readable in Node';
      const { access } = await nodeImport('node:fs/promises');
      await access(url);
      return '';
    }
    const res = await fetch(url);
    if (!res.ok) return `HTTP ${res.status}`;
    const type = res.headers.get('content-type') || '';
    if (/text\/html/i.test(type)) return `HTTP ${res.status} with ${type}, not JSON`;
    const text = await res.text();
    try {
      const json = JSON.parse(text);
      if (json === null || typeof json !== 'object' || Array.isArray(json)) return 'not a JSON object';
    } catch {
      return 'not JSON';
    }
    return '';
  } catch (err) {
    return err && err.message ? err.message : String(err);
  }
}
