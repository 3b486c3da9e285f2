// One macrotask turn: between model batches a call gives the host its event loop back, so
// timers (AbortSignal.timeout), messages, clicks and paints run during a long compression.
// setImmediate (Node) and MessageChannel (browsers, workers, workerd) are not clamped as
// nested setTimeout(0) is (4 ms after five levels in browsers).
export function yieldToHost() {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const { port1, port2 } = new MessageChannel();
      port1.onmessage = () => {
        port1.close();
        resolve();
      };
      port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
