#include "unicode.h"

#include <algorithm>
#include <iterator>

namespace mooscomp {
namespace unicode {
namespace {

// Code points first..last (every `step`-th one) lower-case to cp + delta.
struct LowercaseRun {
  char32_t first;
  char32_t last;
  int32_t delta;
  uint8_t step;
};

struct LowercaseMulti {
  char32_t cp;
  uint8_t count;
  char32_t chars[3];
};

#include "unicode_tables.inc"

// Value of a packed (first << 8 | value) range table at cp.
template <size_t N>
uint8_t LookupPacked(const uint32_t (&table)[N], char32_t cp) {
  const uint32_t key = (static_cast<uint32_t>(cp) << 8) | 0xFF;
  const uint32_t* it = std::upper_bound(std::begin(table), std::end(table), key);
  if (it == std::begin(table)) return 0;
  return static_cast<uint8_t>(*(it - 1) & 0xFF);
}

// Hangul syllables decompose algorithmically (Unicode 3.12).
constexpr char32_t kHangulBase = 0xAC00, kLeadBase = 0x1100, kVowelBase = 0x1161,
                   kTrailBase = 0x11A7;
constexpr char32_t kVowelCount = 21, kTrailCount = 28, kHangulCount = 11172;

// Blocks of scripts written without spaces, sorted; first and last code points.
constexpr char32_t kSpacelessBlocks[][2] = {
    {0x0E00, 0x0EFF},    // Thai, Lao
    {0x0F00, 0x0FFF},    // Tibetan
    {0x1000, 0x109F},    // Myanmar
    {0x1100, 0x11FF},    // Hangul Jamo
    {0x1780, 0x17FF},    // Khmer
    {0x1950, 0x19FF},    // Tai Le, New Tai Lue, Khmer Symbols
    {0x1A20, 0x1AAF},    // Tai Tham
    {0x2E80, 0xA4CF},    // CJK radicals, symbols and punctuation, kana, Bopomofo, Han, Yi
    {0xA960, 0xA97F},    // Hangul Jamo Extended-A
    {0xA9E0, 0xA9FF},    // Myanmar Extended-B
    {0xAA60, 0xAADF},    // Myanmar Extended-A, Tai Viet
    {0xAC00, 0xD7FF},    // Hangul syllables, Jamo Extended-B
    {0xF900, 0xFAFF},    // CJK compatibility ideographs
    {0xFE30, 0xFE4F},    // CJK compatibility forms
    // Halfwidth and fullwidth forms, but not the fullwidth digits and Latin letters: "２００７"
    // is a number (one unit, word_units.h), not four words.
    {0xFF00, 0xFF0F},
    {0xFF1A, 0xFF20},
    {0xFF3B, 0xFF40},
    {0xFF5B, 0xFFEF},
    {0x1B000, 0x1B16F},  // kana supplement and extensions
    {0x20000, 0x3FFFF},  // Han extensions
};

}  // namespace

uint8_t Properties(char32_t cp) {
  if (cp < 0x80) return kAsciiProperties[cp];
  return LookupPacked(kPropertyRanges, cp);
}

const uint8_t* AsciiProperties() { return kAsciiProperties; }

uint8_t CombiningClass(char32_t cp) {
  if (cp < 0x300) return 0;  // no combining marks below U+0300
  return LookupPacked(kCombiningClassRanges, cp);
}

size_t ToLower(char32_t cp, char32_t out[3]) {
  if (cp < 0x80) {
    out[0] = (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    return 1;
  }
  for (const LowercaseMulti& m : kLowercaseMulti) {
    if (m.cp == cp) {
      std::copy(m.chars, m.chars + m.count, out);
      return m.count;
    }
  }
  out[0] = cp;
  const auto* it = std::upper_bound(std::begin(kLowercaseRuns), std::end(kLowercaseRuns), cp,
                                    [](char32_t c, const LowercaseRun& r) { return c < r.first; });
  if (it == std::begin(kLowercaseRuns)) return 1;
  const LowercaseRun& run = *(it - 1);
  if (cp <= run.last && (cp - run.first) % run.step == 0) {
    out[0] = static_cast<char32_t>(static_cast<int32_t>(cp) + run.delta);
  }
  return 1;
}

size_t DecomposeCanonical(char32_t cp, char32_t out[kMaxDecomposition]) {
  if (cp < 0xC0) {  // nothing below U+00C0 decomposes
    out[0] = cp;
    return 1;
  }
  if (cp >= kHangulBase && cp < kHangulBase + kHangulCount) {
    const char32_t index = cp - kHangulBase;
    out[0] = kLeadBase + index / (kVowelCount * kTrailCount);
    out[1] = kVowelBase + (index % (kVowelCount * kTrailCount)) / kTrailCount;
    const char32_t trail = index % kTrailCount;
    if (trail == 0) return 2;
    out[2] = kTrailBase + trail;
    return 3;
  }
  const uint32_t key = static_cast<uint32_t>(cp) << 8;
  const uint32_t* it = std::lower_bound(std::begin(kDecompositionKeys), std::end(kDecompositionKeys), key);
  if (it == std::end(kDecompositionKeys) || (*it >> 8) != cp) {
    out[0] = cp;
    return 1;
  }
  const size_t count = *it & 0xFF;
  const char32_t* chars = kDecompositionChars + kDecompositionOffsets[it - std::begin(kDecompositionKeys)];
  std::copy(chars, chars + count, out);
  return count;
}

bool IsSpacelessScript(char32_t cp) {
  if (cp < 0x0E00) return false;  // the hot path: Latin, Greek, Cyrillic, ...
  const auto* it = std::upper_bound(std::begin(kSpacelessBlocks), std::end(kSpacelessBlocks), cp,
                                    [](char32_t c, const char32_t (&block)[2]) { return c < block[0]; });
  return it != std::begin(kSpacelessBlocks) && cp <= (*(it - 1))[1];
}

bool IsCapital(char32_t cp) {
  char32_t lower[3];
  return ToLower(cp, lower) != 1 || lower[0] != cp;
}

bool IsLetterOutsideAscii(char32_t cp) {
  if (cp < 0x80 || (Properties(cp) & (kPunct | kSpace | kControl))) return false;
  if (Properties(cp) & kCased) return true;
  return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x370 && cp <= 0x1FFF) ||
         (cp >= 0x3130 && cp <= 0x318F) || (cp >= 0xAC00 && cp <= 0xD7AF) || IsHanOrKana(cp);
}

bool IsHanOrKana(char32_t cp) {
  return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF66 && cp <= 0xFF9F) ||
         (cp >= 0x20000 && cp <= 0x3FFFF);
}

const char* TablesVersion() { return kUnicodeVersion; }

}  // namespace unicode
}  // namespace mooscomp
