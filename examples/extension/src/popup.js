// The popup: compresses what is typed here, or the active tab's selection or text box.
const $ = (id) => document.getElementById(id);

async function send(message) {
  $('out').textContent = 'Compressing…';
  $('stats').textContent = '';
  const rate = Number($('rate').value);
  await chrome.storage.local.set({ rate });
  const reply = await chrome.runtime.sendMessage({ target: 'background', rate, ...message });
  if (!reply.ok) {
    $('out').textContent = reply.error;
    return;
  }
  const r = reply.result;
  $('out').textContent = r.compressedPrompt;
  $('stats').textContent = `${r.originTokens} → ${r.compressedTokens} tokens in ${Math.round(r.timings.total)} ms`;
}

$('compress').addEventListener('click', () => send({ type: 'compress', text: $('text').value }));
$('tab').addEventListener('click', async () => {
  const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
  send({ type: 'compress-tab', tabId: tab.id });
});
