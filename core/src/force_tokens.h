// Finds the user's force tokens ("\n", "?", "The answer is") in the original text.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mooscomp/status.h"
#include "structure_marks.h"

namespace mooscomp {

constexpr size_t kMaxForceTokens = 100;  // as LLMLingua-2's max_force_token

struct ForceMatch {
  uint32_t begin = 0, end = 0;  // bytes in the searched text
  int32_t index = 0;            // which force token, or -1 for a structure mark
  MarkKind mark = MarkKind::kNone;
};

// Adds structure marks (sorted, disjoint) to force matches (sorted, disjoint) as matches of
// index -1: a mark wins over the force matches it overlaps, so markup is never cut by one.
void AddStructureMarks(const std::vector<StructureMark>& marks, std::vector<ForceMatch>* matches);

class ForceTokenMatcher {
 public:
  // At most kMaxForceTokens non-empty, well-formed UTF-8 strings.
  static Result<ForceTokenMatcher> Create(const std::vector<std::string>& force_tokens);

  // Scans left to right; at each position the longest force token that matches wins and
  // matches never overlap. A token that begins (ends) with an ASCII letter or digit only
  // matches where the text does not continue the word on that side, so "is" is not
  // found inside "this" (LLMLingua-2 matches single-token force tokens per model token).
  // A match of punctuation or signs only (no letter, digit or space) that overlaps a unit
  // (word_units.h: the "." of "3.14", the "," of "2,400", the ":" of "11:05", a URL's "/",
  // the sign of "-5", the "%" of "3.7%", the "$" of "$4.2M") is dropped, so the unit stays
  // one word, kept or dropped whole, and a kept number keeps its sign; "." ending
  // "in 2024." is not part of the unit and stays.
  void FindAll(std::string_view text, std::vector<ForceMatch>* out) const;

 private:
  std::vector<std::string> tokens_;
  // Token indices by first byte, longest first, so a position tries only its candidates.
  std::array<std::vector<int32_t>, 256> by_first_byte_;
};

}  // namespace mooscomp
