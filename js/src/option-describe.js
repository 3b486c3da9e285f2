// How an option's range and default read in messages and docs (option-table.js's entries).

// "(0, 1]", "[1, 2147483647], or -1 (unset)", "'window' | 'global'", "at most 100 strings".
export function describeRange(o) {
  switch (o.type) {
    case 'number':
    case 'integer':
      return `${o.minOpen ? '(' : '['}${o.min}, ${o.max}]${o.unset !== undefined ? `, or ${o.unset} (unset)` : ''}`;
    case 'enum':
      return o.values.map((v) => `'${v}'`).join(' | ');
    case 'string':
      return `a string of at most ${o.maxLength} characters`;
    case 'strings':
      return `at most ${o.maxCount} strings`;
    case 'integers':
      return `integers in [${o.min}, ${o.max}]`;
    default:
      return 'true | false';
  }
}

export function describeDefault(o) {
  return JSON.stringify(o.default);
}
