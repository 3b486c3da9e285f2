// Times every InferenceSession.run on the shared onnxruntime-web instance, whoever calls it
// (mooscomp or the peer), so "inference" means the same thing on both sides. Wall time and
// this process's CPU time (more robust on a shared machine; with 1 ORT thread it is the
// inference's own CPU time plus whatever V8 does in the background meanwhile).
import { ort } from './ort.mjs';

let runMs = 0;
let runCpuMs = 0;
const proto = ort.InferenceSession.prototype;
const originalRun = proto.run;
proto.run = async function run(...args) {
  const t = performance.now();
  const c = process.cpuUsage();
  try {
    return await originalRun.apply(this, args);
  } finally {
    runMs += performance.now() - t;
    const d = process.cpuUsage(c);
    runCpuMs += (d.user + d.system) / 1000;
  }
};

// {wall, cpu} milliseconds spent in session.run since the last call.
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
