// Words that are units for a reader. The tokenizer's word starts split "4.2" into "4" ".2"
// (a punctuation token starts a word), so a budget could keep "4" and change the number;
// and they leave a run of Han or Thai as one word, kept or dropped whole. These helpers
// regroup words without touching tokens: a word stays a contiguous token range.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "mooscomp/tokenizer.h"
#include "word_span.h"

namespace mooscomp {

// Units, as [begin, end) byte spans of `run` (text without whitespace), left to right:
//   [prefix] atom (joiner atom)* [suffix]   or   bracket atom bracket ("(A)", "[12]")
// atom: letters, digits and other non-punctuation characters (not of scripts without
// spaces); joiner: one of . , : / \ - – _ @ ' ’ & ? = + # ~ % ′ ″ ·, "::" or "://", and only
// when an atom follows; prefix: up to 3 of $ # @ + - ~ _ \ (then "." before a digit), "::"
// ("::1"), or "–" before a digit; suffix: up to 3 of % ‰ + # / _ ′ ″, or the final "." of an
// abbreviation ("e.g."). Also, after a name, its type arguments ("Class<T>",
// "std::vector<int>"); after IPv6 hex groups, a trailing "::" ("fe80::"); after a measure
// in feet ("5'11"), its inch mark ('"' or "''"). After "://", the rest of a URL: any
// visible character but quotes, < > ` \ and non-ASCII punctuation, without trailing
// ". , : ; ! ? ' *" or closing brackets it does not open, letters of any script included
// ("https://例え.jp/パス") but not right after an ASCII letter or digit; after "@", a domain of two labels or more, each of one kind of
// script ("info@例え.jp"); an e-mail address may also start with letters of a script
// without spaces ("田中@例え.jp").
// In scripts without spaces, a run of two katakana or more is a unit (a loanword:
// "プロジェクター"), and so is a foreign name's parts joined by interpuncts: katakana runs
// ("マリア・コスタ"), or, around the Chinese dot "·", Han characters of the transliteration
// tables, up to 4 a part and at least one ("汤姆·李将" -> "汤姆·李").
// So "-3.5%", "2001:db8::1", "ns::Class<T>" and "https://x.org/a?b=1" are one unit, and the
// ":" of "Marcus:" or the "." ending "2024." are not part of one. Characters outside units
// are not reported.
void FindUnits(std::string_view run, std::vector<std::pair<uint32_t, uint32_t>>* units);

// A foreign name in Chinese or Japanese, written with an interpunct between letters of a
// script without spaces ("安娜·伯格", "マリア・コスタ"): FindUnits makes it one unit, and
// word-rarity ranks it as a name.
bool IsSpacelessName(std::string_view word);

// Merges adjacent words among words[first_word..] whose bytes touch where a unit of
// FindUnits spans the boundary between them: the words overlapping a unit become one word
// (with any other unit they also overlap), so a token crossing a unit's edge keeps the
// tokenizer's grouping there. A merge of more than kMaxUnitTokens tokens is skipped (a
// minified blob is not one word).
constexpr uint32_t kMaxUnitTokens = 64;
void MergeUnitWords(std::string_view text, size_t first_word, std::vector<WordSpan>* words);

// Tracks, token by token, where text in scripts without spaces must start a new word:
// at a token whose first visible character is of such a script, or that follows one; never
// at a token that starts with a combining mark (it stays with the character it marks).
class SpacelessSplitter {
 public:
  // Called for each token in order; `starts_word` says whether the token begins a word
  // anyway. Returns true when it must begin one.
  bool StartsWord(std::string_view token_text, bool starts_word);

 private:
  bool word_visible_ = false;    // the current word has non-whitespace text
  bool last_spaceless_ = false;  // its last visible character is of a spaceless script
};

}  // namespace mooscomp
