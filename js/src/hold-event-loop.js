// Node runs V8's queued background work (the wasm tier-up of onnxruntime-web's 14 MB module:
// seconds on two busy cores) to its end whenever its event loop runs out of handles, before
// it goes on. A call awaiting only promises, in a script with nothing else to do, would stop
// there. A timer held while a call works keeps the loop alive, so that work runs beside the
// call instead of in front of it. Browsers and workers have no such pause.
import { isNode } from './environment.js';

// Returns the function that lets go.
export function holdEventLoop() {
  if (!isNode) return () => {};
  const timer = setInterval(() => {}, 2 ** 30);
  return () => clearInterval(timer);
}
