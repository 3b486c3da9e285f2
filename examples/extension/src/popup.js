// The popup: compresses what is typed here, or the active tab's selection or text box (whose
// result the page's preview panel shows, to apply or cancel there).
import { rateLine } from 'mooscomp/rate-line';

const $ = (id) => document.getElementById(id);

async function send(message) {
  $('out').textContent = 'Compressing…';
  $('stats').textContent = '';
  $('rate-line').textContent = '';
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
  $('rate-line').textContent = rateLine(r, r.text);
  if (message.type === 'compress-tab') $('rate-line').textContent += '. Apply or cancel it in the panel on the page.';
}

$('compress').addEventListener('click', () => send({ type: 'compress', text: $('text').value }));
$('tab').addEventListener('click', async () => {
  const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
  send({ type: 'compress-tab', tabId: tab.id });
});
