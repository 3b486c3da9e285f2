// Force tokens as editable chips. Tokens are stored raw ("\n" is a line break) and shown
// escaped, so a newline chip reads "\n" rather than an empty box.

export function createChips(list, input, onChange = () => {}) {
  let tokens = [];

  function render() {
    list.replaceChildren(
      ...tokens.map((token, i) => {
        const item = document.createElement('li');
        item.className = 'chip';
        const text = document.createElement('span');
        text.textContent = escape(token);
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.textContent = '×';
        remove.setAttribute('aria-label', `Remove force token ${escape(token)}`);
        remove.addEventListener('click', () => {
          tokens.splice(i, 1);
          render();
          onChange(tokens);
          // Keep keyboard users in the widget after a chip disappears.
          (list.querySelectorAll('button')[Math.min(i, tokens.length - 1)] || input).focus();
        });
        item.append(text, remove);
        return item;
      }),
    );
  }

  function add(raw) {
    const token = unescape(raw);
    if (!token || tokens.includes(token) || tokens.length >= 100) return false;
    tokens.push(token);
    render();
    onChange(tokens);
    return true;
  }

  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      if (input.value) add(input.value);
      input.value = '';
    } else if (e.key === 'Backspace' && !input.value && tokens.length) {
      tokens.pop();
      render();
      onChange(tokens);
    }
  });
  input.addEventListener('blur', () => {
    if (input.value && add(input.value)) input.value = '';
  });

  return {
    get: () => tokens.slice(),
    set(next) {
      tokens = [...new Set(next)];
      render();
    },
  };
}

const ESCAPES = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };

function escape(token) {
  return token.replace(/[\n\t\r]/g, (c) => ESCAPES[c]);
}

function unescape(text) {
  return text.replace(/\\([ntr\\])/g, (_, c) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\' })[c]);
}
