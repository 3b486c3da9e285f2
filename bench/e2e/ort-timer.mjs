// Times model runs so that "inference" means the same thing on both sides: mooscomp's through
// its runner seam (createCompressor({runner: timedRunner})), the peer's by wrapping its own
// session objects (peer.mjs). Wall time and this process's CPU time (more robust on a shared
// machine; with 1 ORT thread it is the inference's own CPU time plus whatever V8 does in the
// background meanwhile). Nothing in onnxruntime-web is patched.
let runMs = 0;
let runCpuMs = 0;

// Awaits fn(), adding its wall and CPU time to the totals.
export async function timed(fn) {
  const t = performance.now();
  const c = process.cpuUsage();
  try {
    return await fn();
  } finally {
    runMs += performance.now() - t;
    const d = process.cpuUsage(c);
    runCpuMs += (d.user + d.system) / 1000;
  }
}

// The `runner` option: the default runner, each run timed.
export async function timedRunner({ createDefault }) {
  const inner = await createDefault();
  return {
    device: inner.device,
    run: (...args) => timed(() => inner.run(...args)),
    release: () => inner.release(),
  };
}

// {wall, cpu} milliseconds spent in model runs since the last call.
export function takeRun() {
  const r = { wall: runMs, cpu: runCpuMs };
  runMs = runCpuMs = 0;
  return r;
}

// CPU milliseconds of this process, for deltas.
export function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
