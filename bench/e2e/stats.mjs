// Medians and spread of repeated timings (the machine is shared: always report both).
export function summarize(values) {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return { n: 0 };
  const at = (q) => {
    const k = (v.length - 1) * q;
    const lo = Math.floor(k);
    return v[lo] + (v[Math.ceil(k)] - v[lo]) * (k - lo);
  };
  const median = at(0.5);
  return { n: v.length, median, min: v[0], max: v[v.length - 1], spread: median > 0 ? (v[v.length - 1] - v[0]) / median : 0 };
}

// "123.4 ms (±12 %, n=5)": median, (max - min) / median, count.
export function fmt(s, unit = 'ms', digits = 1) {
  if (!s || !s.n) return '-';
  return `${s.median.toFixed(digits)} ${unit} (±${((s.spread * 100) / 2).toFixed(0)} %, n=${s.n})`;
}

// The 1-minute load average, for the record: the benchmarks share their cores.
export async function machineLoad() {
  const os = await import('node:os');
  return { loadavg1: Number(os.loadavg()[0].toFixed(2)), cpus: os.cpus().length };
}
