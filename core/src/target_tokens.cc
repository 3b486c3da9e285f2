#include "target_tokens.h"

#include "utf8.h"

namespace mooscomp {
namespace {

// cl100k keeps most English words whole; only long or rare ones split, about every 6 chars.
constexpr int64_t kWholeWordLetters = 8;
constexpr int64_t kLettersPerPiece = 6;
constexpr int64_t kDigitsPerPiece = 3;       // cl100k splits digit runs into groups of 1-3
constexpr int64_t kPunctPerPiece = 3;        // "...", "});", "://" are single tokens
constexpr int64_t kSpacesPerPiece = 16;      // indentation runs are mostly single tokens

enum class Kind { kLetter, kDigit, kSpace, kPunct, kIdeograph, kOtherNonAscii };

bool IsAsciiLetter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsIdeographic(char32_t c) {
  return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFFEF) ||
         (c >= 0x20000 && c <= 0x3FFFF);
}

Kind Classify(char32_t c) {
  if (IsAsciiLetter(c)) return Kind::kLetter;
  if (c >= '0' && c <= '9') return Kind::kDigit;
  if (c == ' ' || (c >= '\t' && c <= '\r')) return Kind::kSpace;
  if (c < 0x80) return Kind::kPunct;
  // Latin-1 and Latin Extended letters (é, ß, ł) merge into words as in cl100k.
  if ((c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7)) return Kind::kLetter;
  if (IsIdeographic(c)) return Kind::kIdeograph;
  return Kind::kOtherNonAscii;
}

int64_t CeilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Length of an English contraction suffix ('s 't 're 've 'm 'll 'd) at text[pos], or 0.
size_t ContractionLength(std::string_view text, size_t pos) {
  if (text[pos] != '\'' || pos + 1 >= text.size()) return 0;
  auto lower = [&](size_t i) { return i < text.size() ? static_cast<char>(text[i] | 0x20) : '\0'; };
  const char a = lower(pos + 1), b = lower(pos + 2);
  const bool ends_word = pos + 2 >= text.size() || !IsAsciiLetter(static_cast<unsigned char>(text[pos + 2]));
  if ((a == 's' || a == 't' || a == 'm' || a == 'd') && ends_word) return 2;
  if (((a == 'r' || a == 'v') && b == 'e') || (a == 'l' && b == 'l')) return 3;
  return 0;
}

}  // namespace

int64_t EstimateTargetTokens(std::string_view text) {
  int64_t tokens = 0;
  size_t pos = 0;
  Kind run_kind = Kind::kSpace;
  int64_t run_length = 0;  // code points in the current run
  bool in_run = false;

  auto close_run = [&](bool followed_by_word) {
    if (!in_run) return;
    switch (run_kind) {
      case Kind::kLetter:
        tokens += run_length <= kWholeWordLetters ? 1 : CeilDiv(run_length, kLettersPerPiece);
        break;
      case Kind::kDigit: tokens += CeilDiv(run_length, kDigitsPerPiece); break;
      case Kind::kPunct: tokens += CeilDiv(run_length, kPunctPerPiece); break;
      case Kind::kIdeograph: tokens += run_length; break;
      case Kind::kOtherNonAscii: tokens += CeilDiv(run_length, 2); break;
      case Kind::kSpace:
        // A single space before a word or punctuation rides on that token (" the").
        if (followed_by_word) --run_length;
        if (run_length > 0) tokens += CeilDiv(run_length, kSpacesPerPiece);
        break;
    }
    in_run = false;
    run_length = 0;
  };

  while (pos < text.size()) {
    if (const size_t n = ContractionLength(text, pos); n > 0 && in_run && run_kind == Kind::kLetter) {
      close_run(false);
      tokens += 1;
      pos += n;
      continue;
    }
    char32_t cp;
    const size_t at = pos;
    if (!DecodeUtf8(text, &pos, &cp)) {  // not expected (callers validate); count the byte
      pos = at + 1;
      cp = 0xFFFD;
    }
    const Kind kind = Classify(cp);
    if (in_run && kind == run_kind) {
      ++run_length;
      continue;
    }
    const bool space_ends_in_blank = in_run && run_kind == Kind::kSpace && text[at - 1] == ' ';
    close_run(space_ends_in_blank && kind != Kind::kDigit);
    run_kind = kind;
    run_length = 1;
    in_run = true;
  }
  close_run(false);
  return tokens;
}

}  // namespace mooscomp
