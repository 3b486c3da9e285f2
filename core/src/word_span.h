// A word of a context, as the segmenter found it: the unit that selection keeps or drops.
#pragma once

#include <cstdint>

#include "structure_marks.h"

namespace mooscomp {

// Tokens [token_begin, token_end) of the job's token arrays and the word's byte span in its
// context, trimmed of surrounding ASCII whitespace (unless it is only whitespace).
struct WordSpan {
  uint32_t begin = 0, end = 0;
  uint32_t token_begin = 0, token_end = 0;
  int32_t force_index = -1;  // the force token this word is, or -1
  MarkKind mark = MarkKind::kNone;  // the structure mark this word is (structure_marks.h)
};

}  // namespace mooscomp
