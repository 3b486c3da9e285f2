// Every error the package throws is a MooscompError with a stable `code`.
// The codes are the core's StatusCode names, so a core failure maps 1:1 to a class.

export class MooscompError extends Error {
  constructor(message, code = 'INTERNAL', details = undefined) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    if (details !== undefined) Object.assign(this, details);
  }
}

export class InvalidArgumentError extends MooscompError {
  constructor(message, details) { super(message, 'INVALID_ARGUMENT', details); }
}

// Text that is not well-formed: invalid UTF-8 bytes, or a lone surrogate in a JS string.
// `offset` is a byte offset (bytes input) or a UTF-16 index (string input); `context` the
// index of the context it was found in.
export class InvalidUtf8Error extends MooscompError {
  constructor(message, details) { super(message, 'INVALID_UTF8', details); }
}

export class InvalidModelError extends MooscompError {
  constructor(message, details) { super(message, 'INVALID_MODEL', details); }
}

export class InvalidStateError extends MooscompError {
  constructor(message, details) { super(message, 'INVALID_STATE', details); }
}

export class InternalError extends MooscompError {
  constructor(message, details) { super(message, 'INTERNAL', details); }
}

// A call given an AbortSignal that fired: before any work when already aborted, else between
// model batches. `cause` is the signal's reason.
export class AbortError extends MooscompError {
  constructor(message = 'the call was aborted', details) { super(message, 'ABORTED', details); }
}

// A model run (runner.run, the load-time check) or the runner's release() that did not settle
// within the compressor's runTimeout. `ms`: the limit; `what`: the step that timed out.
export class TimeoutError extends MooscompError {
  constructor(message, details) { super(message, 'TIMEOUT', details); }
}

const BY_CODE = {
  INVALID_ARGUMENT: InvalidArgumentError,
  INVALID_UTF8: InvalidUtf8Error,
  INVALID_MODEL: InvalidModelError,
  INVALID_STATE: InvalidStateError,
  INTERNAL: InternalError,
};

// Turns a core reply ({ok, code, message}) into its value, or throws the matching class.
export function checkCore(reply, what) {
  if (reply && reply.ok) return reply;
  const code = reply && typeof reply.code === 'string' ? reply.code : 'INTERNAL';
  const message = reply && reply.message ? reply.message : 'no message';
  const ErrorClass = BY_CODE[code] || InternalError;
  throw new ErrorClass(`${what}: ${message}`);
}

// Wraps anything thrown by a dependency (ORT, embind) so callers only ever see our classes.
export function asMooscompError(err, ErrorClass, what) {
  if (err instanceof MooscompError) return err;
  const message = err && err.message ? err.message : String(err);
  return new ErrorClass(`${what}: ${message}`, { cause: err });
}
