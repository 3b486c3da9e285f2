// Wasm heap sizes, watched from outside: every WebAssembly.Memory made by JS (onnxruntime-web's
// threaded build makes its own and imports it) and every memory an instance exports (the
// mooscomp core's Emscripten build). A wasm memory never shrinks, so its size now is its peak.
// Import this module before anything that instantiates wasm.
const made = [];
const exported = new Set();

const OriginalMemory = WebAssembly.Memory;
WebAssembly.Memory = new Proxy(OriginalMemory, {
  construct(target, args) {
    const m = Reflect.construct(target, args);
    made.push(m);
    return m;
  },
});

function noteExports(instance) {
  for (const v of Object.values(instance.exports)) if (v instanceof OriginalMemory) exported.add(v);
}
const originalInstantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async function instantiate(...args) {
  const r = await originalInstantiate.apply(this, args);
  noteExports(r instanceof WebAssembly.Instance ? r : r.instance);
  return r;
};

// {core, ort, total} in MB: exported memories are the core's heap, JS-made ones ORT's.
export function wasmHeapsMB() {
  const sum = (ms) => ms.reduce((s, m) => s + m.buffer.byteLength, 0) / 2 ** 20;
  const core = sum([...exported].filter((m) => !made.includes(m)));
  const ort = sum(made);
  return { core, ort, total: core + ort };
}

// Peak resident set size of this process so far, in MB (Linux reports it in KiB).
export function peakRssMB() {
  return process.resourceUsage().maxRSS / 1024;
}
