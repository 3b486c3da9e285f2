// The service worker: no model here (it may be stopped at any time and cannot import()
// code on demand), only routing. Compression runs in the offscreen document, which keeps
// the model loaded between requests.

chrome.runtime.onInstalled.addListener(() => {
  chrome.contextMenus.create({ id: 'compress', title: 'Compress with mooscomp', contexts: ['selection', 'editable'] });
});

chrome.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId === 'compress' && tab && tab.id !== undefined) compressInTab(tab.id).catch(console.error);
});

// From the popup: {target: 'background', type: 'compress', text, rate} -> {ok, result | error}.
chrome.runtime.onMessage.addListener((message, sender, reply) => {
  if (message.target !== 'background') return false;
  const work = message.type === 'compress-tab' ? compressInTab(message.tabId) : compressText(message.text, message.rate);
  work.then((result) => reply({ ok: true, result }), (err) => reply({ ok: false, error: String(err.message || err) }));
  return true; // replies asynchronously
});

let creating; // one offscreen document at a time, even when requests race

async function ensureOffscreen() {
  const existing = await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] });
  if (existing.length > 0) return;
  creating ??= chrome.offscreen.createDocument({
    url: 'offscreen.html',
    reasons: ['WORKERS'],
    justification: 'Runs the prompt compression model (WebAssembly) outside the service worker.',
  }).finally(() => { creating = undefined; });
  await creating;
}

async function compressText(text, rate = 0.5) {
  await ensureOffscreen();
  const reply = await chrome.runtime.sendMessage({ target: 'offscreen', text, rate });
  if (!reply || !reply.ok) throw new Error(reply ? reply.error : 'no reply from the offscreen document');
  return reply.result;
}

// Compresses the focused text box or composer (its selection, else all of it) and writes
// the result back; or the page's selected text, whose result is kept for the popup to show.
async function compressInTab(tabId) {
  const [{ result: picked }] = await chrome.scripting.executeScript({ target: { tabId }, func: pickText });
  if (!picked || !picked.text.trim()) throw new Error('select some text, or click into a text box or chat composer first');
  const result = await compressText(picked.text, (await chrome.storage.local.get({ rate: 0.5 })).rate);
  if (picked.editable) {
    const [{ result: written }] = await chrome.scripting.executeScript({ target: { tabId }, func: putText, args: [result.compressedPrompt] });
    if (!written) throw new Error('the text box lost focus before the result came back');
  }
  await chrome.storage.session.set({ last: result });
  return result;
}

// Runs in the page. The editable element: a <textarea>, a text <input>, or a
// contenteditable composer (chat sites' message boxes), where the focused element may be
// a child of the editing host.
function pickText() {
  const el = document.activeElement;
  if (el && (el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && el.type === 'text'))) {
    const whole = el.selectionStart === el.selectionEnd;
    return { editable: true, text: whole ? el.value : el.value.slice(el.selectionStart, el.selectionEnd) };
  }
  if (el && el.isContentEditable) {
    const selection = getSelection();
    const inside = selection.rangeCount > 0 && !selection.isCollapsed && el.contains(selection.getRangeAt(0).commonAncestorContainer);
    // innerText, not textContent: paragraphs and <br> become line breaks.
    return { editable: true, text: inside ? String(selection) : el.innerText };
  }
  return { editable: false, text: String(getSelection()) };
}

// Runs in the page: replaces the selection (or all of the text) and tells the page. In a
// contenteditable composer the text goes in through the editing commands, which fire the
// beforeinput/input events that composer frameworks keep their state from; line breaks
// become insertLineBreak commands. Returns false when nothing editable has focus.
function putText(text) {
  const el = document.activeElement;
  if (el && (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT')) {
    if (el.selectionStart === el.selectionEnd) el.value = text;
    else el.setRangeText(text, el.selectionStart, el.selectionEnd, 'select');
    el.dispatchEvent(new Event('input', { bubbles: true }));
    return true;
  }
  if (!el || !el.isContentEditable) return false;
  const selection = getSelection();
  if (selection.isCollapsed || !el.contains(selection.anchorNode)) selection.selectAllChildren(el);
  text.split('\n').forEach((line, i) => {
    if (i > 0) document.execCommand('insertLineBreak');
    if (line) document.execCommand('insertText', false, line);
  });
  if (text === '') document.execCommand('delete');
  return true;
}
