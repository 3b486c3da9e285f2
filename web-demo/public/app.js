// The demo page: wires the controls to the compression worker and renders its results.
// All model work happens in worker.js; this thread only handles the UI.
import { EXAMPLES, exampleText } from './examples.js';
import { createChips } from './chips.js';
import { renderHighlighted, renderMetrics, renderApiCall, ms, count } from './render.js';
// Why the achieved rate is above the slider's: the package's line, as the extension shows it.
import { rateLine } from '/js/src/rate-line.js';

const $ = (id) => document.getElementById(id);
const el = {
  status: $('status'), progress: $('progress'), env: $('env'), error: $('error'),
  form: $('form'), exampleButtons: $('example-buttons'), prompt: $('prompt'), promptSize: $('prompt-size'), question: $('question'),
  modelControl: $('model-control'), model: $('model'),
  rate: $('rate'), rateValue: $('rate-value'), targetTokens: $('target-tokens'),
  protect: $('protect'), keepDigits: $('keep-digits'), outlier: $('outlier'), alpha: $('alpha'), alphaValue: $('alpha-value'), outlierKind: $('outlier-kind'),
  compress: $('compress'), busy: $('busy'), elapsed: $('elapsed'),
  results: $('results'), rateLine: $('rate-line'), highlighted: $('highlighted'), questionShown: $('question-shown'), questionText: $('question-text'),
  compressed: $('compressed'), copy: $('copy'), apiCall: $('api-call'),
  metrics: {
    origin: $('m-origin'), compressed: $('m-compressed'), ratio: $('m-ratio'),
    tokenize: $('m-tokenize'), infer: $('m-infer'), select: $('m-select'), total: $('m-total'),
  },
};

const chips = createChips($('chip-list'), $('chip-input'));
// analyzed: the text and prepare options of the worker's analysis, which select requests
// (sliders, checkboxes, the target) reuse without running the model.
const state = { ready: false, busy: false, outlierKind: null, analyzed: null, selecting: false, selectAgain: false };

// --- worker: one request at a time per id, answered by id ------------------------------

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const pending = new Map();
let nextId = 1;

function request(type, payload, onProgress) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, onProgress });
    worker.postMessage({ type, id, ...payload });
  });
}

worker.onmessage = ({ data }) => {
  const call = pending.get(data.id);
  if (!call) return;
  if (data.type === 'progress') return call.onProgress && call.onProgress(data);
  pending.delete(data.id);
  if (data.type === 'error') call.reject(Object.assign(new Error(data.error.message), data.error));
  else call.resolve(data.type === 'loaded' ? data.info : data.result);
};

// A worker that cannot even start (a script failed to load) reports here, not by message.
worker.onerror = (event) => {
  event.preventDefault();
  const err = new Error(`the compression worker failed: ${event.message || 'its scripts could not be loaded'}`);
  for (const call of pending.values()) call.reject(err);
  pending.clear();
  fail(err);
};

// --- status, progress, errors ------------------------------------------------------------

function setStatus(text, stateName) {
  el.status.textContent = text;
  el.status.dataset.state = stateName;
}

function showProgress(p) {
  el.progress.hidden = false;
  if (p && p.total) {
    el.progress.max = p.total;
    el.progress.value = p.loaded;
  } else el.progress.removeAttribute('value'); // indeterminate
}

function fail(err) {
  el.error.hidden = false;
  el.error.textContent = `${err.code ? `${err.code}: ` : ''}${err.message}`;
  el.progress.hidden = true;
  if (!state.ready) setStatus('The model could not be loaded.', 'error');
  if (!err.code) console.error(err); // typed API errors are the user's to fix: the page says enough
}

function clearError() {
  el.error.hidden = true;
  el.error.textContent = '';
}

// --- model loading -----------------------------------------------------------------------

async function loadModel(url, name) {
  state.ready = false;
  state.analyzed = null;
  updateButton();
  clearError();
  setStatus(`Loading model ${name}…`, 'loading');
  showProgress();
  // Threads need cross-origin isolation (ORT falls back to one without it). Like ORT's own
  // default, half the cores up to 4, but at least 2 so that small machines use threads too.
  const threads = self.crossOriginIsolated ? Math.min(4, Math.max(2, Math.ceil((navigator.hardwareConcurrency || 1) / 2))) : 1;
  try {
    const info = await request('load', { modelUrl: url, threads }, (p) => {
      setStatus(p.total ? `${p.label}: ${mb(p.loaded)} of ${mb(p.total)}` : `${p.label}…`, 'loading');
      showProgress(p);
    });
    el.progress.hidden = true;
    state.ready = true;
    state.loadMs = info.loadMs;
    setStatus(`Model ${info.model.name} loaded in ${ms(info.loadMs)} (${mb(info.modelBytes)}).`, 'ready');
    el.status.dataset.loadMs = String(Math.round(info.loadMs));
    showEnvironment(info);
    applyModelDefaults(info);
  } catch (err) {
    fail(err);
  }
  updateButton();
}

function showEnvironment(info) {
  const item = (label, value, id) => `<span class="env-item">${label}: <strong id="${id}">${value}</strong></span>`;
  el.env.innerHTML = [
    item('ORT threads', info.threads, 'env-threads'),
    item('WebAssembly SIMD', info.simd ? 'on' : 'off', 'env-simd'),
    item('Cross-origin isolated', info.crossOriginIsolated ? 'yes' : 'no (one thread)', 'env-isolated'),
  ].join('');
}

// The outlier reading the checkbox turns on: the model's default, else the first the model
// has statistics for, in the order the quality table ranks them (models/default/MODEL_CARD.md).
const OUTLIER_ORDER = ['word-rarity', 'word-rarity-first', 'hidden-train', 'hidden', 'lexical'];
const OUTLIER_TEXT = {
  'word-rarity': 'rarity of each word against the training text',
  'word-rarity-first': 'rarity of each word against the training text, first mentions only',
  'hidden-train': "Z-scores of the model's hidden states against the training text",
  hidden: "Z-scores of the model's hidden states within the window",
  lexical: 'Z-scores of token rarity within the window',
};

function applyModelDefaults(info) {
  const { outlier = 'none', alpha = 1 } = info.model.defaults || {};
  state.outlierKind = outlier !== 'none' ? outlier : OUTLIER_ORDER.find((k) => info.outliers.includes(k)) || null;
  el.outlier.disabled = !state.outlierKind;
  el.outlier.checked = Boolean(state.outlierKind) && outlier !== 'none';
  el.alpha.value = String(alpha);
  el.outlierKind.textContent = state.outlierKind
    ? `Outlier score: ${OUTLIER_TEXT[state.outlierKind] || state.outlierKind}.`
    : 'This model has no outlier source.';
  syncOutputs();
}

async function loadModelList() {
  const res = await fetch('/models/index.json');
  if (!res.ok) throw new Error(`cannot list the models: HTTP ${res.status}`);
  const { models } = await res.json();
  if (!models.length) throw new Error('no model folder with a manifest.json was found under models/');
  el.model.replaceChildren(...models.map((m) => new Option(`${m.name} (${m.id})`, m.url)));
  el.modelControl.hidden = models.length < 2; // a choice only when there is one to make
  return models;
}

// --- controls ----------------------------------------------------------------------------

function syncOutputs() {
  el.rateValue.textContent = `${Math.round(Number(el.rate.value) * 100)}%`;
  el.alphaValue.textContent = Number(el.alpha.value).toFixed(2);
  el.alpha.disabled = !el.outlier.checked;
  el.rate.disabled = el.targetTokens.value !== '';
  el.promptSize.textContent = `${count(el.prompt.value.length)} characters`;
}

function updateButton() {
  el.compress.disabled = !state.ready || state.busy;
}

// The analysis always carries the model's outlier reading, so that the outlier checkbox and
// alpha slider are select options too: the box off is alpha 1 (the reading unused).
function analysisOptions() {
  const o = currentOptions();
  const prepare = { forceTokens: o.forceTokens, outlier: state.outlierKind || 'none' };
  // The question is a prepare option: a new question is a new analysis, as a new text is.
  if (o.question !== undefined) prepare.question = o.question;
  const select = { forceReserveDigit: o.forceReserveDigit, alpha: o.outlier === 'none' ? 1 : o.alpha };
  if (o.targetTokens !== undefined) select.targetTokens = o.targetTokens;
  else select.rate = o.rate;
  // protectPrompt(): the instruction and the question stay as written (a new analysis).
  return { prepare, select, protect: el.protect.checked };
}

function currentOptions() {
  const options = {};
  // An invalid target is passed on as typed: the API's error then shows in the page.
  if (el.targetTokens.value !== '') options.targetTokens = Number(el.targetTokens.value);
  else options.rate = Number(el.rate.value);
  options.forceTokens = chips.get();
  const question = el.question.value.trim();
  if (question) options.question = question;
  options.forceReserveDigit = el.keepDigits.checked;
  options.outlier = el.outlier.checked && state.outlierKind ? state.outlierKind : 'none';
  if (options.outlier !== 'none') options.alpha = Number(el.alpha.value);
  return options;
}

async function selectExample(example, button) {
  for (const b of el.exampleButtons.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b === button));
  try {
    el.prompt.value = await exampleText(example);
  } catch (err) {
    fail(err);
    return;
  }
  el.prompt.dataset.example = example.id; // loaded (the tests wait on it)
  const o = example.options;
  el.rate.value = String(o.rate);
  el.targetTokens.value = '';
  el.question.value = ''; // a question belongs to its prompt
  chips.set(o.forceTokens);
  el.keepDigits.checked = o.forceReserveDigit;
  syncOutputs();
}

// --- compress ----------------------------------------------------------------------------

async function compress() {
  if (!state.ready || state.busy) return;
  clearError();
  const text = el.prompt.value;
  if (!text.trim()) {
    fail(new Error('Nothing to compress: paste a prompt or pick an example.'));
    return;
  }
  const options = currentOptions();
  const { prepare, select, protect } = analysisOptions();
  state.busy = true;
  state.analyzed = null;
  updateButton();
  el.busy.hidden = false;
  setStatus(`Compressing ${count(text.length)} characters…`, 'compressing');
  const started = performance.now();
  const tick = setInterval(() => {
    el.elapsed.textContent = `${((performance.now() - started) / 1000).toFixed(1)} s`;
  }, 100);
  try {
    const result = await request('analyze', { text, prepare, select, protect });
    state.analyzed = { text, prepare: JSON.stringify([prepare, protect]), protect };
    showResult(text, options, result);
    setStatus(`Compressed in ${ms(result.timings.total)} (model loaded in ${ms(state.loadMs)}).`, 'done');
    el.status.dataset.totalMs = String(Math.round(result.timings.total));
  } catch (err) {
    fail(err);
    setStatus('Compression failed.', 'failed');
  } finally {
    clearInterval(tick);
    el.busy.hidden = true;
    state.busy = false;
    updateButton();
  }
}

function showResult(text, options, result) {
  renderMetrics(el.metrics, result);
  el.rateLine.textContent = rateLine(result, text);
  renderHighlighted(el.highlighted, text, result.words, result.segments);
  el.questionShown.hidden = options.question === undefined;
  el.questionText.textContent = options.question ?? '';
  el.compressed.value = result.compressedPrompt;
  renderApiCall(el.apiCall, options, state.analyzed.protect);
  el.results.hidden = false;
  el.status.dataset.modelCalls = String(result.modelCalls);
}

// A select option changed: a new selection from the analysis, if it is still the text's
// and prepare options' (else the next Compress runs the model). One request at a time;
// changes meanwhile coalesce into one more.
async function reselect() {
  if (!state.ready || state.busy || !state.analyzed) return;
  if (state.selecting) {
    state.selectAgain = true;
    return;
  }
  const text = el.prompt.value;
  const { prepare, select, protect } = analysisOptions();
  if (text !== state.analyzed.text || JSON.stringify([prepare, protect]) !== state.analyzed.prepare) return;
  const options = currentOptions();
  state.selecting = true;
  clearError();
  try {
    const result = await request('select', { options: select });
    if (state.analyzed && !state.busy) {
      showResult(text, options, result);
      setStatus(`Selected again in ${ms(result.timings.select)}, from the analysis (the model did not run).`, 'done');
      el.status.dataset.selects = String(Number(el.status.dataset.selects || 0) + 1);
    }
  } catch (err) {
    fail(err);
  } finally {
    state.selecting = false;
    if (state.selectAgain) {
      state.selectAgain = false;
      reselect();
    }
  }
}

async function copyCompressed() {
  const text = el.compressed.value;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard permission (or no secure context): fall back to a selection copy.
    el.compressed.select();
    document.execCommand('copy');
  }
  el.copy.textContent = 'Copied';
  setTimeout(() => (el.copy.textContent = 'Copy'), 1500);
}

// --- start -------------------------------------------------------------------------------

for (const example of EXAMPLES) {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = example.label;
  button.dataset.example = example.id;
  button.setAttribute('aria-pressed', 'false');
  button.addEventListener('click', () => selectExample(example, button));
  el.exampleButtons.append(button);
}

el.form.addEventListener('submit', (e) => {
  e.preventDefault();
  compress();
});
el.prompt.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    compress();
  }
});
for (const input of [el.rate, el.alpha, el.outlier, el.targetTokens, el.prompt]) input.addEventListener('input', syncOutputs);
el.outlier.addEventListener('change', syncOutputs);
// The select options update the output live, from the last analysis.
for (const input of [el.rate, el.alpha, el.targetTokens]) input.addEventListener('input', reselect);
for (const input of [el.outlier, el.keepDigits]) input.addEventListener('change', reselect);
el.model.addEventListener('change', () => loadModel(el.model.value, el.model.selectedOptions[0].textContent));
el.copy.addEventListener('click', copyCompressed);
syncOutputs();

try {
  const models = await loadModelList();
  await Promise.all([
    selectExample(EXAMPLES[0], el.exampleButtons.querySelector('button')),
    loadModel(models[0].url, models[0].name),
  ]);
} catch (err) {
  fail(err);
}

function mb(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
