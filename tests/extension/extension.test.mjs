// The example Manifest V3 extension (examples/extension), built on the packed package and
// loaded unpacked in headless Chromium: its popup compresses typed text, and its tab
// action compresses a <textarea> and a contenteditable chat composer (paragraphs and line
// breaks kept, the page told through input events) on a page, through the service worker
// and the offscreen document, into a preview panel whose Apply writes it back (undone by a
// real Ctrl+Z) and whose Cancel leaves it. Records the cold (first request: offscreen page +
// model) and warm times.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS, OUT, PROMPT, ROOT, copyExample, missing, pack, report, run, serve } from '../consumers/helpers.mjs';
import { COMPRESS_OPTIONS } from '../../examples/extension/src/options.js';
import { rateLine } from '../../js/src/rate-line.js';

const skip = missing({ chromium: true });
if (skip) console.log(`# extension test skipped: ${skip}`);

// A chat site's message box: a contenteditable editing host whose paragraphs are <p>
// elements; the page keeps its own copy of the text from input events, as composer
// frameworks do, and the send button reads that copy.
const INSTRUCTION = 'Summarize these notes for the team in two sentences:';
const QUESTION = 'What should everyone bring to the meeting?';
const CHAT_TEXT = `${INSTRUCTION}\n\nThe meeting is on Tuesday at 10 am in room 4.\nPlease bring the budget report and the slides for the new product.`
  + `\nWe will also go over your questions about the schedule for next quarter and the hiring plan.\n\n${QUESTION}`;
const CHAT_PAGE = `<!doctype html><meta charset="utf-8"><title>chat</title>
<div id="composer" contenteditable="true" role="textbox"></div>
<script>
  const composer = document.getElementById('composer');
  window.inputEvents = 0;
  window.state = '';
  composer.addEventListener('input', () => { window.inputEvents++; window.state = composer.innerText; });
  window.setDraft = (text) => {
    composer.innerHTML = text.split('\\n\\n').map((p) => '<p>' + p.split('\\n').map((l) => l.replace(/&/g, '&amp;').replace(/</g, '&lt;')).join('<br>') + '</p>').join('');
  };
</script>`;

describe('browser extension in Chromium', { skip, timeout: 240_000 }, () => {
  let context;
  let worker;
  let extensionId;
  let userDataDir;
  let server;
  let dist;
  let expected;
  let expectedChat;
  let resultOf; // text -> the JS API's result for it, as the extension compresses it
  const times = {};

  before(async () => {
    const tarball = await pack();
    const dir = await copyExample('extension');
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball, 'esbuild@0.28.2'], { cwd: dir });
    await run('node', ['build.mjs'], { cwd: dir });
    dist = join(dir, 'dist');
    // activeTab is granted by a user's click, which a test cannot make: allow the test page.
    const manifest = JSON.parse(await readFile(join(dist, 'manifest.json'), 'utf8'));
    manifest.host_permissions = ['http://127.0.0.1/*'];
    await writeFile(join(dist, 'manifest.json'), JSON.stringify(manifest));

    const { createCompressor, protectPrompt } = await import(join(ROOT, 'js/src/index.js'));
    const node = await createCompressor();
    const results = new Map();
    for (const text of [PROMPT, CHAT_TEXT]) results.set(text, await node.compress(protectPrompt(text), { ...COMPRESS_OPTIONS, rate: 0.5 }));
    resultOf = (text) => results.get(text);
    expected = resultOf(PROMPT).compressedPrompt;
    expectedChat = resultOf(CHAT_TEXT).compressedPrompt;
    await node.dispose();

    const page = await mkdtemp(join(tmpdir(), 'mooscomp-page-'));
    await writeFile(join(page, 'index.html'), '<!doctype html><meta charset="utf-8"><textarea id="box"></textarea>');
    await writeFile(join(page, 'chat.html'), CHAT_PAGE);
    server = await serve(page);

    const { chromium } = await import('playwright-core');
    userDataDir = await mkdtemp(join(tmpdir(), 'mooscomp-extension-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS, `--disable-extensions-except=${dist}`, `--load-extension=${dist}`],
      ignoreDefaultArgs: ['--disable-extensions'],
    });
    worker = context.serviceWorkers()[0] || (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
    extensionId = new URL(worker.url()).host;
  });

  after(async () => {
    await context?.close();
    await server?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    if (Object.keys(times).length) await report('extension', times);
  });

  test('the popup compresses typed text (service worker -> offscreen document)', async () => {
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    await popup.fill('#text', PROMPT);
    for (const run of ['cold', 'warm']) {
      const t0 = performance.now();
      await popup.click('#compress');
      await popup.waitForFunction(() => document.getElementById('stats').textContent !== '', null, { timeout: 60_000 });
      times[`popup${run === 'cold' ? 'Cold' : 'Warm'}Ms`] = performance.now() - t0;
      assert.equal(await popup.textContent('#out'), expected);
      assert.equal(await popup.textContent('#rate-line'), rateLine(resultOf(PROMPT), PROMPT));
    }
    await popup.close();
  });

  // The tab action, as the context menu and the popup run it, on the page at `url`.
  const compressTab = (url) => worker.evaluate(async (u) => {
    const [tab] = await chrome.tabs.query({ url: u });
    return compressInTab(tab.id);
  }, url);
  const PANEL = '#mooscomp-preview';

  // The panel shows the picked text with each dropped word struck out, and the rate line.
  async function checkPanel(page, text) {
    const r = resultOf(text);
    assert.ok(await page.isVisible(PANEL), 'the preview panel is shown');
    assert.equal(await page.textContent(`${PANEL} .text`), text, 'the preview shows the whole picked text');
    const dropped = r.words.filter((w) => !w.keep).map((w) => w.text);
    assert.ok(dropped.length > 0, 'the compressor dropped words');
    assert.deepEqual(await page.locator(`${PANEL} del`).allTextContents(), dropped, 'exactly the dropped words are struck out');
    assert.equal(await page.textContent(`${PANEL} .rate`), rateLine(r, text));
  }

  test("the tab action previews a text box's compression; Apply writes it back, Ctrl+Z restores the original", async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}index.html`);
    await page.fill('#box', PROMPT);
    await page.focus('#box');
    const t0 = performance.now();
    const result = await compressTab(`${server.url}index.html`);
    times.textBoxMs = performance.now() - t0;
    times.inOffscreen = result.timings;
    assert.equal(result.compressedPrompt, expected);
    assert.equal(await page.inputValue('#box'), PROMPT, 'nothing is replaced before Apply');
    await checkPanel(page, PROMPT);
    await page.click(`${PANEL} [data-action=apply]`);
    assert.equal(await page.inputValue('#box'), expected);
    assert.equal(await page.locator(PANEL).count(), 0, 'Apply closes the panel');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'box', 'the text box has the focus back');
    await page.keyboard.press('Control+z');
    assert.equal(await page.inputValue('#box'), PROMPT, 'Ctrl+Z brings the original back');
    await page.close();
  });

  test('Cancel leaves the text box untouched; Apply refuses a text changed since', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}index.html`);
    await page.fill('#box', PROMPT);
    await page.focus('#box');
    await compressTab(`${server.url}index.html`);
    await page.click(`${PANEL} [data-action=cancel]`);
    assert.equal(await page.locator(PANEL).count(), 0, 'Cancel closes the panel');
    assert.equal(await page.inputValue('#box'), PROMPT);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'box');

    await compressTab(`${server.url}index.html`);
    await page.fill('#box', `${PROMPT} Edited.`);
    await page.click(`${PANEL} [data-action=apply]`);
    assert.match(await page.textContent(`${PANEL} .error`), /changed since/);
    assert.equal(await page.inputValue('#box'), `${PROMPT} Edited.`);
    await page.close();
  });

  test("a page's selected text (not editable) is previewed with Close only", async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}index.html`);
    await page.evaluate((text) => {
      const p = document.body.appendChild(document.createElement('p'));
      p.textContent = text;
      getSelection().selectAllChildren(p);
    }, PROMPT);
    await compressTab(`${server.url}index.html`);
    await checkPanel(page, PROMPT);
    assert.ok(await page.isHidden(`${PANEL} [data-action=apply]`), 'nothing to write to: no Apply');
    assert.equal(await page.textContent(`${PANEL} [data-action=cancel]`), 'Close');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator(PANEL).count(), 0, 'Escape closes the panel');
    await page.close();
  });

  test('Apply falls back to setting the value, with an input event, where the editing command is unavailable', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}index.html`);
    await page.addScriptTag({ path: join(dist, 'preview.js') }); // the page's own world, where execCommand can be stubbed
    await page.evaluate(() => {
      document.execCommand = () => false;
      window.inputEvents = 0;
      document.getElementById('box').addEventListener('input', () => window.inputEvents++);
    });
    await page.fill('#box', PROMPT);
    await page.focus('#box');
    const shown = await page.evaluate(({ text, result }) => {
      mooscompPreview.pick();
      return mooscompPreview.show({ ...result, text }, text);
    }, { text: PROMPT, result: { ...resultOf(PROMPT), words: resultOf(PROMPT).words.map(({ start, end, keep }) => ({ start, end, keep })) } });
    assert.ok(shown);
    const before = await page.evaluate(() => window.inputEvents);
    await page.click(`${PANEL} [data-action=apply]`);
    assert.equal(await page.inputValue('#box'), expected);
    assert.equal(await page.evaluate(() => window.inputEvents), before + 1);
    await page.close();
  });

  test('the tab action previews a contenteditable chat composer: line breaks, instruction and question kept, Ctrl+Z restores', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}chat.html`);
    await page.evaluate((text) => window.setDraft(text), CHAT_TEXT);
    assert.equal(await page.evaluate(() => document.getElementById('composer').innerText), CHAT_TEXT);
    await page.click('#composer p:last-child'); // the caret inside a child of the editing host
    const result = await compressTab(`${server.url}chat.html`);
    assert.equal(result.compressedPrompt, expectedChat);
    assert.ok(expectedChat.startsWith(`${INSTRUCTION}\n\n`), expectedChat);
    assert.ok(expectedChat.trimEnd().endsWith(`\n\n${QUESTION}`), expectedChat);
    assert.ok(expectedChat.length < CHAT_TEXT.length, expectedChat);
    assert.equal(await page.evaluate(() => document.getElementById('composer').innerText), CHAT_TEXT, 'nothing is replaced before Apply');
    assert.equal(await page.evaluate(() => window.inputEvents), 0);
    await checkPanel(page, CHAT_TEXT);
    await page.screenshot({ path: join(OUT, 'extension-preview.png') });
    assert.match(await page.textContent(`${PANEL} .rate`), / overall .*: \d+ % of the compressible text, \d+ tokens protected \(instruction, question\)$/);
    await page.click(`${PANEL} [data-action=apply]`);
    // Editing commands write a space at a line's start as U+00A0, so that it stays visible.
    const plain = (text) => text.replace(/\u00a0/g, ' ').trimEnd();
    const shown = () => page.evaluate(() => document.getElementById('composer').innerText);
    assert.equal(plain(await shown()), plain(expectedChat));
    assert.ok(await page.evaluate(() => window.inputEvents) > 0, 'the page heard input events');
    assert.equal(plain(await page.evaluate(() => window.state)), plain(expectedChat));
    await page.keyboard.press('Control+z');
    assert.equal(plain(await shown()), plain(CHAT_TEXT), 'Ctrl+Z brings the original back');
    assert.equal(plain(await page.evaluate(() => window.state)), plain(CHAT_TEXT), 'and the page heard it');
    await page.close();
  });
});
