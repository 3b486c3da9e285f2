// Bundles a Worker the way wrangler does for workerd: esbuild with the workerd conditions,
// each imported .wasm becoming a compiled-module import and each model file a data import,
// kept as separate modules next to the bundle. Returns the modules for a workerd config.
import { copyFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

const KINDS = { '.wasm': 'wasm', '.onnx': 'data', '.model': 'data' };

export async function bundleWorker(esbuild, entry, outDir) {
  const modules = new Map(); // module name -> {file, kind}
  const externalModules = {
    name: 'workerd-modules',
    setup(build) {
      build.onResolve({ filter: /\.(wasm|onnx|model)$/ }, async (args) => {
        if (args.pluginData === 'inner') return undefined;
        const r = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'inner' });
        if (r.errors.length) return { errors: r.errors };
        const name = basename(r.path);
        modules.set(name, { file: r.path, kind: KINDS[name.slice(name.lastIndexOf('.'))] });
        return { path: `./${name}`, external: true };
      });
    },
  };
  await esbuild.build({
    entryPoints: [entry],
    outfile: join(outDir, 'worker.js'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    plugins: [externalModules],
    logLevel: 'error',
  });
  for (const [name, { file }] of modules) await copyFile(file, join(outDir, name));
  return [...modules].map(([name, { kind }]) => ({ name, kind }));
}

// A workerd config serving the bundle on 127.0.0.1:port.
export function workerdConfig(modules, port, compatibilityDate) {
  const lines = [
    '(name = "worker.js", esModule = embed "worker.js")',
    ...modules.map(({ name, kind }) => `(name = "${name}", ${kind} = embed "${name}")`),
  ];
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
    ${lines.join(',\n    ')}
  ],
  compatibilityDate = "${compatibilityDate}",
);
`;
}
