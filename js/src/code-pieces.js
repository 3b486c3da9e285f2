// The `code` option applied to segment lists: each compressible segment is cut into prose
// and fenced-code pieces; code pieces never reach the model. Every piece remembers its
// segment (`parent`), so that results are reported per segment as given.
import { splitCode, codeOutput } from './code-blocks.js';

// Whether any text holds a fence (a cheap test first: most prompts have none).
export function hasCode(texts) {
  return texts.some((t) => (t.includes('```') || t.includes('~~~')) && splitCode(t).some((p) => p.code));
}

// contexts: one list of normalised segments per context -> the same, as pieces:
// {text, compress, own, parent, source: {compress, own}, code?, fixed?}. `fixed` is what a
// code piece becomes under 'lines'; parents number the segments across contexts, in order.
export function codePieces(contexts, mode) {
  let parent = 0;
  return contexts.map((list) => list.flatMap((seg) => {
    const base = { parent: parent++, source: { compress: seg.compress, own: seg.own } };
    if (!seg.compress || mode === 'prose') return [{ ...seg, ...base }];
    return splitCode(seg.text).map((part) => (part.code
      ? { text: part.text, compress: false, own: {}, ...base, code: true, ...(mode === 'lines' ? { fixed: codeOutput(part, mode) } : {}) }
      : { text: part.text, compress: true, own: seg.own, ...base }));
  }));
}
