// A prompt that is one JSON document keeps its syntax: everything but the inside of long
// string values is forced, so a compressed document still parses with the same keys.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "structure_marks.h"

namespace mooscomp {

// String values of fewer bytes than this are kept whole (names, ids, enum values).
constexpr size_t kJsonCompressibleBytes = 40;

// If `text` is exactly one JSON object or array (RFC 8259, surrounding whitespace allowed),
// appends its marks and returns true: runs of syntax, keys, numbers, literals and short
// strings separated only by whitespace become one kKeep mark each; a long string value
// keeps its quotes and every escape sequence ("\n", "\u00e9") as marks, so what is dropped
// between them is plain text. Otherwise appends nothing and returns false. Linear, with no
// recursion (nesting depth costs a byte of stack each).
bool FindJsonMarks(std::string_view text, std::vector<StructureMark>* marks);

}  // namespace mooscomp
