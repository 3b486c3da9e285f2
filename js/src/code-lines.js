// code: 'lines': a fenced block cut by whole lines. Comment lines, docstrings and blank lines
// go; code statements and the fences stay, so the code still parses and the model never sees
// (or breaks) it. What a comment looks like depends on the fence's language.

// Languages whose line comments start with '#', '//' or '--'; a block in none of them (no
// info string, an unknown language) drops both '#' and '//' lines, but keeps C preprocessor
// lines, shebangs and Rust attributes. Prose-like blocks (markdown, text, JSON) drop only blanks.
const HASH = new Set(['python', 'py', 'python3', 'sh', 'bash', 'shell', 'zsh', 'console', 'ruby', 'rb', 'perl', 'pl', 'r', 'yaml', 'yml', 'toml', 'ini', 'dockerfile', 'makefile', 'make', 'cmake', 'powershell', 'ps1', 'elixir', 'nim', 'julia', 'jl', 'coffee', 'tcl']);
const SLASH = new Set(['c', 'h', 'cpp', 'c++', 'cc', 'cxx', 'hpp', 'java', 'js', 'javascript', 'jsx', 'mjs', 'cjs', 'ts', 'typescript', 'tsx', 'go', 'rust', 'rs', 'swift', 'kotlin', 'kt', 'scala', 'cs', 'csharp', 'c#', 'dart', 'php', 'groovy', 'objc', 'objective-c', 'zig', 'solidity', 'sol', 'proto', 'protobuf', 'glsl', 'hlsl', 'wgsl', 'css', 'scss', 'less', 'jsonc']);
const DASH = new Set(['sql', 'lua', 'haskell', 'hs', 'elm', 'ada', 'vhdl', 'plsql', 'postgresql', 'mysql', 'sqlite']);
const PLAIN = new Set(['markdown', 'md', 'text', 'txt', 'plain', 'plaintext', 'json', 'csv', 'diff', 'patch', 'html', 'xml', 'svg', 'latex', 'tex', 'output', 'log']);
const KEEP_HASH = /^#(!|include|define|undef|if|ifdef|ifndef|else|elif|endif|pragma|import|error|line|\[|!\[)/;

// block: a fenced block's text (fences included), as findCodeBlocks() spans it; closed: whether
// a fence closes it (its last non-empty line, always kept, even after an unclosed docstring).
export function codeLines(block, closed = true) {
  const lines = block.split('\n');
  const lang = language(lines[0]);
  const comment = commentTest(lang);
  const last = lines.length - 1;
  const fence = !closed ? -1 : lines[last] === '' ? last - 1 : last;
  const out = [lines[0]];
  let docQuote = null; // inside a Python docstring: its quote
  let inBlockComment = false;
  for (let i = 1; i <= last; i++) {
    const line = lines[i];
    const t = line.trim();
    if (i === fence || (i === last && t === '')) { out.push(line); continue; } // the closing fence, its line break
    if (docQuote) {
      if (t.includes(docQuote)) docQuote = null;
      continue;
    }
    if (inBlockComment) {
      if (t.includes('*/')) inBlockComment = false;
      continue;
    }
    if (t === '') continue;
    if (comment.docstrings && /^[rRuUbB]?("""|''')/.test(t)) {
      const q = t.match(/("""|''')/)[1];
      const rest = t.slice(t.indexOf(q) + 3);
      if (!rest.includes(q)) docQuote = q;
      continue;
    }
    if (comment.block && t.startsWith('/*')) {
      if (!t.includes('*/', 2)) inBlockComment = true;
      continue;
    }
    if (comment.line(t)) continue;
    out.push(line);
  }
  return out.join('\n');
}

function language(fenceLine) {
  const info = fenceLine.replace(/^\s*(`+|~+)/, '').trim();
  return info.split(/[\s{,]/)[0].toLowerCase();
}

function commentTest(lang) {
  const hash = (t) => t.startsWith('#') && !KEEP_HASH.test(t);
  const slash = (t) => t.startsWith('//');
  const dash = (t) => t.startsWith('--');
  if (HASH.has(lang)) return { line: (t) => t.startsWith('#') && !t.startsWith('#!'), docstrings: lang.startsWith('py'), block: false };
  if (SLASH.has(lang)) return { line: slash, docstrings: false, block: true };
  if (DASH.has(lang)) return { line: dash, docstrings: false, block: lang !== 'lua' && lang !== 'haskell' && lang !== 'hs' };
  if (PLAIN.has(lang)) return { line: () => false, docstrings: false, block: false };
  return { line: (t) => hash(t) || slash(t), docstrings: true, block: true };
}
