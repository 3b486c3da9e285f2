// Injected into the page (bundled as a classic script into the extension's isolated world,
// where it stays between injections): pick() remembers the text box and the text to compress,
// show() puts a preview panel on the page, and only its Apply button writes the result back.
import { rateLine } from 'mooscomp/rate-line';

const HOST_ID = 'mooscomp-preview';
let target = null; // {el, kind: 'field' | 'rich' | 'page', text, value, start, end, range}
let panel = null;

// Remembers what to compress: the focused <textarea>, text <input> or contenteditable
// composer (chat sites' message boxes; the focused element may be a child of the editing
// host), its selection else all of it; or the page's selected text.
function pick() {
  close();
  const el = document.activeElement;
  if (el && (el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && el.type === 'text'))) {
    const whole = el.selectionStart === el.selectionEnd;
    const [start, end] = whole ? [0, el.value.length] : [el.selectionStart, el.selectionEnd];
    target = { el, kind: 'field', start, end, text: el.value.slice(start, end), value: el.value };
  } else if (el && el.isContentEditable) {
    const selection = getSelection();
    const inside = selection.rangeCount > 0 && !selection.isCollapsed && el.contains(selection.getRangeAt(0).commonAncestorContainer);
    // innerText, not textContent: paragraphs and <br> become line breaks.
    target = { el, kind: 'rich', range: inside ? selection.getRangeAt(0).cloneRange() : null, text: inside ? String(selection) : el.innerText };
  } else {
    target = { el: null, kind: 'page', text: String(getSelection()) };
  }
  return { editable: target.kind !== 'page', text: target.text };
}

// Selects the picked text again; false when the box's text changed since.
function reselect(t) {
  if (t.kind === 'field') {
    if (!t.el.isConnected || t.el.value !== t.value) return false;
    t.el.focus();
    t.el.setSelectionRange(t.start, t.end);
    return true;
  }
  if (!t.el.isConnected) return false;
  t.el.focus();
  const selection = getSelection();
  if (t.range) {
    selection.removeAllRanges();
    selection.addRange(t.range);
  } else selection.selectAllChildren(t.el);
  return (t.range ? String(selection) : t.el.innerText) === t.text;
}

// Replaces the selection through the editing commands: they enter the browser's undo stack
// (Ctrl+Z) and fire the beforeinput/input events that composer frameworks keep their state
// from. Setting .value is the fallback where the command is unavailable (no undo then).
function replaceSelection(t, text) {
  if (t.kind === 'field') {
    if (document.execCommand('insertText', false, text)) return;
    t.el.setRangeText(text, t.start, t.end, 'end');
    t.el.dispatchEvent(new Event('input', { bubbles: true }));
    return;
  }
  // insertText would turn a line break into a new paragraph: breaks go in as insertLineBreak.
  text.split('\n').forEach((line, i) => {
    if (i > 0) document.execCommand('insertLineBreak');
    if (line) document.execCommand('insertText', false, line);
  });
  if (text === '') document.execCommand('delete');
}

// The picked text with each word marked kept or dropped (protected text has no words).
function marked(text, words) {
  const out = document.createElement('div');
  out.className = 'text';
  let at = 0;
  for (const w of words) {
    if (w.start > at) out.append(text.slice(at, w.start));
    const span = document.createElement(w.keep ? 'span' : 'del');
    span.textContent = text.slice(w.start, w.end);
    out.append(span);
    at = Math.max(at, w.end);
  }
  out.append(text.slice(at));
  return out;
}

const STYLE = `
  :host { all: initial; position: fixed; z-index: 2147483647; right: 1rem; bottom: 1rem; }
  .panel { font: 14px/1.4 system-ui, sans-serif; color: #111; background: #fff; width: min(32rem, calc(100vw - 2rem));
    border: 1px solid #888; border-radius: 6px; box-shadow: 0 4px 16px rgb(0 0 0 / 25%); padding: 0.75rem; box-sizing: border-box; }
  .text { white-space: pre-wrap; max-height: 40vh; overflow: auto; border: 1px solid #ddd; padding: 0.5rem; margin: 0.5rem 0; }
  del { color: #888; text-decoration: line-through; }
  .title { margin: 0 0 0.25rem; font-weight: 600; }
  .rate { margin: 0; font-size: 13px; }
  .actions { margin: 0.5rem 0 0; }
  .error { color: #a00; margin: 0.5rem 0 0; }
  button { font: inherit; margin-right: 0.5rem; }
`;

// Shows the compressed result: {text (what the words index), words, rate...}. Returns false
// when another pick() replaced the one this result is for.
function show(result, pickedText) {
  if (!target || target.text !== pickedText) return false;
  close();
  const t = target;
  const host = document.createElement('div');
  host.id = HOST_ID;
  const root = host.attachShadow({ mode: 'open' }); // the page's styles stay out
  // A constructed sheet, not a <style>: a page's CSP (style-src) does not apply to it.
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(STYLE);
  root.adoptedStyleSheets = [sheet];
  const box = document.createElement('div');
  box.className = 'panel';
  box.setAttribute('role', 'dialog');
  box.setAttribute('aria-label', 'mooscomp preview');
  const title = document.createElement('p');
  title.className = 'title';
  title.textContent = 'mooscomp: struck-out words would be dropped';
  const rate = document.createElement('p');
  rate.className = 'rate';
  rate.textContent = rateLine(result, result.text);
  const error = document.createElement('p');
  error.className = 'error';
  error.hidden = true;
  const apply = button('Apply', 'apply');
  const cancel = button(t.kind === 'page' ? 'Close' : 'Cancel', 'cancel');
  apply.hidden = t.kind === 'page'; // a page's selection cannot be written to
  apply.addEventListener('click', () => {
    if (!reselect(t)) {
      error.textContent = 'The text changed since it was compressed: compress it again.';
      error.hidden = false;
      return;
    }
    close();
    replaceSelection(t, result.compressedPrompt);
  });
  cancel.addEventListener('click', () => {
    close();
    if (t.el && t.el.isConnected) t.el.focus();
  });
  box.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') cancel.click();
  });
  const actions = document.createElement('p');
  actions.className = 'actions';
  actions.append(apply, cancel);
  box.append(title, rate, marked(result.text, result.words), error, actions);
  root.append(box);
  document.documentElement.append(host);
  panel = host;
  (apply.hidden ? cancel : apply).focus();
  return true;
}

function button(label, action) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.dataset.action = action;
  return b;
}

function close() {
  panel?.remove();
  panel = null;
}

globalThis.mooscompPreview ??= { pick, show, close };
