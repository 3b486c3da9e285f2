// Structure marks and meaning bonds on any text: marks sorted, disjoint and inside the text;
// a JSON document's kept spans are syntax, and with its long strings emptied it still scans
// as JSON; bonds cover words in order.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "json_marks.h"
#include "segmenter.h"
#include "structure_marks.h"
#include "toy_tokenizer.h"
#include "word_bonds.h"

using namespace mooscomp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const Structure s = FindStructure(text);
  for (size_t i = 0; i < s.marks.size(); ++i) {
    FUZZ_CHECK(s.marks[i].begin < s.marks[i].end && s.marks[i].end <= size);
    if (i > 0) FUZZ_CHECK(s.marks[i - 1].end <= s.marks[i].begin);
  }
  for (const auto& [b, e] : s.links) FUZZ_CHECK(b < e && e <= size && text[b] != ' ');

  // Keeping only a JSON document's marks (what a rate near 0 keeps) leaves valid JSON.
  std::vector<StructureMark> json;
  if (FindJsonMarks(text, &json)) {
    std::string kept;
    for (const StructureMark& m : json) kept.append(text, m.begin, m.end - m.begin);
    std::vector<StructureMark> again;
    FUZZ_CHECK(FindJsonMarks(kept, &again));
  }

  if (FindInvalidUtf8(text) != size) return 0;
  std::vector<ForceMatch> matches;
  AddStructureMarks(s.marks, &matches);
  Encoding tokens;
  std::vector<WordSpan> words;
  if (!SegmentContext(test::ToyTokenizer(), text, matches, &tokens, &words).ok()) return 0;
  const auto n = static_cast<uint32_t>(words.size());
  std::vector<WordBond> bonds;
  FindMeaningBonds(text, words, 0, n, &bonds);
  AppendSpanBonds(s.links, words, 0, n, &bonds);
  uint32_t last = 0;
  for (const WordBond& b : MergeBonds(bonds, true)) {
    FUZZ_CHECK(b.first >= last && b.first < b.last && b.last <= n);
    last = b.last;
  }
  std::vector<LineBond> lines;
  AppendLineBonds(text, words, 0, n, &lines);
  for (const LineBond& l : lines) FUZZ_CHECK(l.first <= l.marker && l.marker < l.last && l.last <= n);
  return 0;
}
