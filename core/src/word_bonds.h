// Words that carry the meaning of a neighbour, bound to it so that a budget keeps or drops
// them together: a negation and the word it negates ("not mention", "don't eat"), a number
// and its unit ("5 days", "4 million dollars") or its counter ("3月14日", "14時30分", "３人"),
// a date written in words ("Tuesday 14 March", "March 14, 2023"), a name through its
// lower-case link ("Kingdom of Hawaii"), a markdown link "[text](url)". Selection gives every word of a bond the highest score among them
// (prepared_job.cc), so "mention" is never kept without "not".
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "word_span.h"
#include "word_scores.h"

namespace mooscomp {

enum class BondKind : uint8_t {
  kMeaning,    // negation, unit, date: SelectOptions::keep_meaning turns them off
  kStructure,  // markup that would break if split (a link)
};

struct WordBond {
  uint32_t first = 0, last = 0;  // words [first, last) of the job
  BondKind kind = BondKind::kMeaning;
};

// Appends the meaning bonds among words [word_begin, word_end) of one context's `text`,
// left to right. Words of a bond are separated by spaces, tabs or nothing (never a line break
// or a punctuation word, except the comma of "March 14, 2023"); a bond spans at most 6 words.
// After a number, a Han, kana or Hangul word binds only as a counter (meaning_lexicon.h).
void FindMeaningBonds(std::string_view text, const std::vector<WordSpan>& words, uint32_t word_begin,
                      uint32_t word_end, std::vector<WordBond>* out);

// Appends a structure bond for the words overlapping each byte span [begin, end) of `spans`
// (sorted, disjoint) among words [word_begin, word_end).
void AppendSpanBonds(const std::vector<std::pair<uint32_t, uint32_t>>& spans, const std::vector<WordSpan>& words,
                     uint32_t word_begin, uint32_t word_end, std::vector<WordBond>* out);

// A line marker ("#", "-", "1.", ">"): kept iff a word of [first, last), the other words
// of its line, is kept; a line of markers only keeps them. A label ("key:") is kept with
// its line too, or alone when its own score is high enough.
struct LineBond {
  uint32_t marker = 0, first = 0, last = 0;
};

// Appends the line bonds of the kLine structure marks among words [word_begin, word_end).
void AppendLineBonds(std::string_view text, const std::vector<WordSpan>& words, uint32_t word_begin,
                     uint32_t word_end, std::vector<LineBond>* out);

// The best score among the other words of a marker's line (1.0, as a forced word, when its
// line has no other word), or a label's own score if higher: the budget then keeps the
// marker exactly with that word.
float LineMarkerScore(const LineBond& bond, const std::vector<WordSpan>& words, const std::vector<ScoredWord>& scored);

// Drops the line markers whose line keeps no other word (keep: one flag per word), for the
// few cases where the line's best word and its marker fall on different sides of a budget
// (another window, drop_consecutive).
void ApplyLineBonds(const std::vector<LineBond>& bonds, const std::vector<WordSpan>& words,
                    std::vector<uint8_t>* keep);

// Sorts `bonds` and merges the ones that share a word into disjoint ranges: the ranges
// selection equalises. `meaning` false leaves meaning bonds out.
std::vector<WordBond> MergeBonds(const std::vector<WordBond>& bonds, bool meaning);

}  // namespace mooscomp
