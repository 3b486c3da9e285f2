// The markup a compressed prompt must keep well-formed: code fences, inline code, heading
// markers, list bullets, option labels ("(A)"), block quotes, table pipes, YAML keys,
// markdown links; and a heading's numbers ("Section 7"), by which the text refers to it. Found in the original text before tokenising; the marks become forced
// words (segmenter.h), links become bonds (word_bonds.h).
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace mooscomp {

enum class MarkKind : uint8_t {
  kNone,
  kKeep,  // always kept: a fence line, inline code, a table pipe or separator row
  kLine,   // kept iff another word of its line is kept: "#", "-", "1.", ">"
  kLabel,  // a YAML "key:" or an option label "(A)": kept with its line, or alone on its own score
};

struct StructureMark {
  uint32_t begin = 0, end = 0;  // bytes of the text
  MarkKind kind = MarkKind::kKeep;
};

struct Structure {
  std::vector<StructureMark> marks;                      // sorted, disjoint
  std::vector<std::pair<uint32_t, uint32_t>> links;      // "[text](url)" byte spans, sorted
};

// A text that is one JSON document gets json_marks.h's marks instead. Otherwise
// CommonMark's shapes, line by line: a fence is 3+ backticks or tildes after at most 3
// spaces, closed by a fence of the same character at least as long (an unclosed fence runs
// to the end); lines inside a fence are code, with no marks. Inline code is a backtick run
// closed by a run of the same length on the same line.
Structure FindStructure(std::string_view text);

}  // namespace mooscomp
