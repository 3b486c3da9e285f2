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

// Compresses the focused text box or composer (its selection, else all of it), or the
// page's selected text, and shows the result in a panel on the page (preview.js), whose
// Apply button writes it back. Resolves once the panel is shown.
async function compressInTab(tabId) {
  const target = { tabId };
  await chrome.scripting.executeScript({ target, files: ['preview.js'] });
  const [{ result: picked }] = await chrome.scripting.executeScript({ target, func: () => mooscompPreview.pick() });
  if (!picked || !picked.text.trim()) throw new Error('select some text, or click into a text box or chat composer first');
  const result = await compressText(picked.text, (await chrome.storage.local.get({ rate: 0.5 })).rate);
  const [{ result: shown }] = await chrome.scripting.executeScript({
    target, func: (r, text) => mooscompPreview.show(r, text), args: [result, picked.text],
  });
  if (!shown) throw new Error('another compression started on this page');
  return result;
}
