// Unicode character data for the BERT normalizer: lookups over the generated, range-
// compressed tables in unicode_tables.inc (see core/tools/gen_unicode_tables.py).
#pragma once

#include <cstddef>
#include <cstdint>

namespace mooscomp {
namespace unicode {

// Property bits of one code point; several may be set.
enum : uint8_t {
  kPunct = 1,           // general category P*, or ASCII 33-47, 58-64, 91-96, 123-126
  kNonspacingMark = 2,  // Mn: what accent stripping drops after NFD
  kControl = 4,         // Cc, Cf or Co: what BERT's text clean-up drops (\t \n \r excepted)
  kSpace = 8,           // what JavaScript's /\s/ matches (Zs, \t-\r, U+FEFF, U+2028/9)
  kCased = 16,          // Cased, for characters that are not Case_Ignorable
  kCaseIgnorable = 32,  // Case_Ignorable
  kMark = 64,           // M*: a combining mark (Mn, Mc, Me), never the start of a word
};

uint8_t Properties(char32_t cp);

// A letter, a digit or a symbol: neither punctuation, space nor a control character.
inline bool IsWordChar(char32_t cp) { return !(Properties(cp) & (kPunct | kSpace | kControl)); }

// A combining mark: it belongs to the character before it ("é" as e + U+0301, Thai "็").
inline bool IsMark(char32_t cp) { return (Properties(cp) & kMark) != 0; }

// Properties of U+0000..U+007F, indexed directly on hot paths.
const uint8_t* AsciiProperties();

// Canonical combining class (0 for starters).
uint8_t CombiningClass(char32_t cp);

// Writes the context-free full lower case of cp (1 to 3 code points) and returns the count.
// Final_Sigma is context dependent and left to the caller.
size_t ToLower(char32_t cp, char32_t out[3]);

// Writes the full canonical decomposition of cp (1 to kMaxDecomposition code points, cp
// itself when it has none), Hangul syllables included, and returns the count. The output
// is in canonical order for this one code point; reordering across code points is the
// caller's job.
constexpr size_t kMaxDecomposition = 4;
size_t DecomposeCanonical(char32_t cp, char32_t out[kMaxDecomposition]);

// True for a code point of a script written without spaces between words: Han, kana,
// Hangul (spaced by phrase, not by word), Thai, Lao, Tibetan, Myanmar, Khmer, Yi, the CJK
// symbols and punctuation, and fullwidth / halfwidth forms. Selection splits such text at
// every token, so it is compressed rather than kept or dropped as one block.
bool IsSpacelessScript(char32_t cp);

// A capital letter: one whose lower case differs (A, É, Д; not a digit or a Han character).
bool IsCapital(char32_t cp);

// True for a letter outside ASCII: a cased letter (é, Д, Ω), or one of the uncased letters
// of Hebrew to Ethiopic and the other scripts up to U+1FFF (Arabic, Devanagari, Thai, ...),
// Hangul, Han or kana; not a symbol (€, ≥, →, ©), an emoji, punctuation or a space.
bool IsLetterOutsideAscii(char32_t cp);

// True for a Han character (the CJK unified and compatibility ideographs, planes 2 and 3) or kana
// (hiragana, katakana, halfwidth katakana): the scripts of Chinese and Japanese.
bool IsHanOrKana(char32_t cp);

// The Unicode version the tables were generated from, e.g. "14.0.0".
const char* TablesVersion();

}  // namespace unicode
}  // namespace mooscomp
