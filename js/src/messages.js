// compressMessages(): chat messages in the LLM SDK format, [{role, content}], as one segment
// list with one context per message, so that each message's output maps back to it. The
// system message(s) and the last user message are kept verbatim by default; older turns, and
// roles we do not know (tool, function, developer...), are compressed with the call's options.
import { InvalidArgumentError, MooscompError } from './errors.js';
import { normaliseSegments } from './segments.js';
import { listByContext } from './result.js';

const MESSAGE_OPTIONS = ['roles', 'keepLastUser'];
const ROLE_KEYS = ['compress', 'rate', 'targetTokens', 'forceTokens'];
const DEFAULT_ROLES = { system: { compress: false } };

// compressMessages' own options apart from compress()'s: {own: {roles, keepLastUser}, rest}.
export function splitMessageOptions(options) {
  const rest = { ...(options ?? {}) };
  const own = { roles: {}, keepLastUser: true };
  for (const key of MESSAGE_OPTIONS) {
    if (rest[key] === undefined) continue;
    own[key] = rest[key];
    delete rest[key];
  }
  if (typeof own.keepLastUser !== 'boolean') {
    throw new InvalidArgumentError('option "keepLastUser" must be a boolean', { option: 'keepLastUser' });
  }
  own.roles = checkRoles(own.roles);
  return { own, rest };
}

function checkRoles(roles) {
  if (typeof roles !== 'object' || roles === null || Array.isArray(roles)) {
    throw new InvalidArgumentError('option "roles" must be an object {[role]: {compress?, rate?, targetTokens?, forceTokens?}}', { option: 'roles' });
  }
  const out = new Map(); // a Map: a role named "__proto__" or "constructor" is just a name
  for (const [role, opts] of Object.entries(roles)) {
    if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
      throw new InvalidArgumentError(`option "roles.${role}" must be an object`, { option: 'roles' });
    }
    for (const key of Object.keys(opts)) {
      if (!ROLE_KEYS.includes(key)) throw new InvalidArgumentError(`option "roles.${role}" has an unknown key "${key}"`, { option: 'roles' });
    }
    try {
      normaliseSegments([{ text: '', ...opts }]); // the same checks as a segment's own options
    } catch (err) {
      throw new InvalidArgumentError(`option "roles.${role}": ${err.message.replace(/^segment 0 /, '')}`, { option: 'roles' });
    }
    out.set(role, opts);
  }
  return out;
}

// messages -> one list of normalised segments per message. Errors name the message's index
// (err.messageIndex). Called when compressMessages() is: messagesResult() takes a copy.
export function messageContexts(messages, { roles, keepLastUser }) {
  if (!Array.isArray(messages)) throw new InvalidArgumentError('messages must be an array of {role, content}');
  if (messages.length === 0) throw new InvalidArgumentError('messages is empty');
  let lastUser = -1;
  Array.from(messages, (m, i) => {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) throw messageError(i, 'must be an object {role, content}');
    if (typeof m.role !== 'string') throw messageError(i, 'needs a string "role"');
    if (typeof m.content !== 'string') {
      throw messageError(i, Array.isArray(m.content)
        ? 'has content parts: pass its text as a string (parts are not supported)'
        : 'needs a string "content"');
    }
    if (m.role === 'user') lastUser = i;
    return null;
  });
  return messages.map((m, i) => {
    const opts = i === lastUser && keepLastUser ? { compress: false }
      : roles.has(m.role) ? roles.get(m.role) : Object.hasOwn(DEFAULT_ROLES, m.role) ? DEFAULT_ROLES[m.role] : {};
    try {
      return normaliseSegments([{ text: m.content, ...opts }]);
    } catch (err) {
      if (err instanceof MooscompError) err.messageIndex = i; // a lone surrogate in its content
      throw err;
    }
  });
}

function messageError(i, what) {
  return new InvalidArgumentError(`message ${i} ${what}`, { messageIndex: i });
}

// A shallow copy of each message, taken at the call: later changes by the caller do not matter.
export function copyMessages(messages) {
  return messages.map((m) => ({ ...m }));
}

// The messages with their compressed content (other fields kept), and compress()'s result.
export function messagesResult(messages, result) {
  const contents = listByContext(result);
  const out = messages.map((m, i) => ({ ...m, content: contents[i] }));
  return { messages: out, ...result };
}
