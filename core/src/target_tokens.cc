#include "target_tokens.h"

#include <algorithm>

#include "utf8.h"

namespace mooscomp {
namespace {

// cl100k pre-tokenises with, in order: contractions; letters with one optional leading
// non-letter, non-digit, non-newline character (" the", "(fn", ".log"); digits in groups of
// 1-3; punctuation/symbols with an optional leading space and trailing newlines (" });\n");
// whitespace up to a newline; whitespace not followed by text; other whitespace. Runs of
// one kind are counted here and the rules between them applied when a run closes.
// The weights below were fitted on tests/data/token-estimate (tests/tools/token-estimate.mjs).

// Costs are summed in tenths of a token and rounded up once, at the end.
constexpr int64_t kTenths = 10;
// cl100k keeps most English words whole; only long or rare ones split, about every 6 chars.
constexpr int64_t kWholeWordLetters = 8;
constexpr int64_t kLettersPerPiece = 6;
// Words led by punctuation ("/gateways", "_reorder", ".DictReader") split more often.
constexpr int64_t kLedShortLetters = 3;
constexpr int64_t kLedShortTenths = 12;
constexpr int64_t kLedWholeLetters = 7;
constexpr int64_t kLedWholeTenths = 14;
constexpr int64_t kLedLettersPerPiece = 4;
// cl100k's vocabulary is mostly English: a letter like é, ü or ñ often splits the word ("M" "üh" "le").
constexpr int64_t kAccentTenths = 10;
constexpr int64_t kDigitsPerPiece = 3;   // cl100k splits digit runs into groups of 1-3
constexpr int64_t kPunctWhole = 3;       // "...", "});", "://" are single tokens; longer runs
constexpr int64_t kPunctPerPiece = 3;    // ("\"]),", "|---|---|") split now and then
constexpr int64_t kSpacesPerPiece = 16;  // indentation runs are mostly single tokens
constexpr int64_t kHanTenths = 12;        // Han: about 1.2 tokens a character
constexpr int64_t kHangulTenths = 14;     // Hangul syllables: about 1.4
constexpr int64_t kKanaTenths = 10;       // kana, CJK and fullwidth punctuation: about 1
constexpr int64_t kEmojiTenths = 30;      // 4-byte emoji: mostly 3 byte-level tokens each
constexpr int64_t kDingbatTenths = 25;    // U+2300..U+2BFF (☀ ✨ ⏰): 2 or 3
constexpr int64_t kSymbolTenths = 8;      // dashes, quotes, arrows, °, variation selectors

enum class Kind { kLetter, kDigit, kSpace, kPunct, kCjk, kSymbol, kOtherNonAscii };

bool IsNewline(char32_t c) { return c == '\n' || c == '\r'; }

int64_t CjkTenths(char32_t c) {
  if (c >= 0xAC00 && c <= 0xD7AF) return kHangulTenths;
  if ((c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || c >= 0x20000) return kHanTenths;
  return kKanaTenths;
}

bool IsCjk(char32_t c) {
  return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x3FFFF);
}

// Not letters in cl100k's sense: they pre-tokenise with punctuation, then split into bytes.
int64_t SymbolTenths(char32_t c) {
  if (c >= 0x1F000 && c <= 0x1FFFF) return kEmojiTenths;
  if (c >= 0x2300 && c <= 0x2BFF) return kDingbatTenths;
  if ((c >= 0x2000 && c <= 0x22FF) || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xA0 && c <= 0xBF) || c == 0xD7 ||
      c == 0xF7) {
    return kSymbolTenths;
  }
  return 0;
}

Kind Classify(char32_t c) {
  if (IsAsciiLetter(c)) return Kind::kLetter;
  if (c >= '0' && c <= '9') return Kind::kDigit;
  if (c == ' ' || (c >= '\t' && c <= '\r')) return Kind::kSpace;
  if (c < 0x80) return Kind::kPunct;
  // Latin-1 and Latin Extended letters (é, ß, ł) merge into words as in cl100k.
  if (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) return Kind::kLetter;
  if (IsCjk(c)) return Kind::kCjk;
  if (SymbolTenths(c) > 0) return Kind::kSymbol;
  return Kind::kOtherNonAscii;
}

// Letters of any script take one leading non-newline character into their pre-token.
bool IsLetterKind(Kind k) { return k == Kind::kLetter || k == Kind::kCjk || k == Kind::kOtherNonAscii; }

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

// One run of code points of one kind, and what the rules between runs need to know of it.
struct Run {
  Kind kind = Kind::kSpace;
  bool open = false;
  int64_t length = 0;  // code points
  int64_t tenths = 0;  // weighted kinds
  int64_t accented = 0;  // letters outside ASCII in a letter run
  bool led = false;    // a space before it joined its pre-token (" the", " (")
  bool prefixed = false;  // letters after one punctuation character, which joined them
  // Whitespace runs: newlines right after punctuation join its pre-token (");\n"); the
  // whitespace up to the last other newline is one pre-token; what follows it is counted apart.
  bool absorbing = false;
  bool own_newline = false;
  int64_t after_newline = 0;
  char32_t last = 0;
};

int64_t LetterTenths(const Run& run) {
  const int64_t n = run.length;
  if (!run.prefixed) return n <= kWholeWordLetters ? kTenths : n * kTenths / kLettersPerPiece;
  if (n <= kLedShortLetters) return kLedShortTenths;
  if (n <= kLedWholeLetters) return kLedWholeTenths;
  return n * kTenths / kLedLettersPerPiece;
}

int64_t WhitespaceTokens(const Run& run, bool has_next, Kind next) {
  int64_t tokens = run.own_newline ? 1 : 0;
  const int64_t tail = run.after_newline;  // spaces or tabs after the last newline
  if (tail == 0) return tokens;
  const bool rides = has_next && ((IsLetterKind(next) && !IsNewline(run.last)) ||
                                  ((next == Kind::kPunct || next == Kind::kSymbol) && run.last == ' '));
  if (rides) return tokens + CeilDiv(tail - 1, kSpacesPerPiece);  // the last one joins the next pre-token
  if (!has_next) return tokens + CeilDiv(tail, kSpacesPerPiece);
  // Before a digit (or a tab before punctuation): "  " then " " alone.
  return tokens + (tail == 1 ? 1 : 1 + CeilDiv(tail - 1, kSpacesPerPiece));
}

}  // namespace

int64_t EstimateTargetTokens(std::string_view text) {
  int64_t tenths = 0;
  size_t pos = 0;
  Run run;

  // Closes the current run; `next` is the kind of the run that follows (has_next false at the end).
  auto close_run = [&](bool has_next, Kind next) {
    if (!run.open) return;
    switch (run.kind) {
      case Kind::kLetter: tenths += LetterTenths(run) + kAccentTenths * run.accented; break;
      case Kind::kDigit: tenths += kTenths * CeilDiv(run.length, kDigitsPerPiece); break;
      case Kind::kPunct:
        // One punctuation character right before letters joins their pre-token ("(fn", ".log").
        if (!(run.length == 1 && !run.led && has_next && IsLetterKind(next))) {
          tenths += kTenths + kTenths * std::max<int64_t>(0, run.length - kPunctWhole) / kPunctPerPiece;
        }
        break;
      case Kind::kCjk:
      case Kind::kSymbol: tenths += run.tenths; break;
      case Kind::kOtherNonAscii: tenths += kTenths * CeilDiv(run.length, 2); break;
      case Kind::kSpace: tenths += kTenths * WhitespaceTokens(run, has_next, next); break;
    }
    run.open = false;
  };

  while (pos < text.size()) {
    if (const size_t n = ContractionLength(text, pos); n > 0 && run.open && run.kind == Kind::kLetter) {
      close_run(true, Kind::kPunct);
      tenths += kTenths;
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
    if (!run.open || kind != run.kind) {
      const Run previous = run;
      close_run(true, kind);
      run = Run();
      run.kind = kind;
      run.open = true;
      run.led = previous.open && previous.kind == Kind::kSpace && previous.last == ' ' && previous.after_newline > 0;
      run.absorbing = previous.open && (previous.kind == Kind::kPunct || previous.kind == Kind::kSymbol);
      run.prefixed = kind == Kind::kLetter && previous.open && previous.kind == Kind::kPunct && previous.length == 1 &&
                     !previous.led;
    }
    ++run.length;
    if (kind == Kind::kLetter && cp >= 0x80) ++run.accented;
    run.last = cp;
    if (kind == Kind::kCjk) run.tenths += CjkTenths(cp);
    if (kind == Kind::kSymbol) run.tenths += SymbolTenths(cp);
    if (kind == Kind::kSpace) {
      if (IsNewline(cp)) {
        if (!run.absorbing) run.own_newline = true;
        run.after_newline = 0;
      } else {
        run.absorbing = false;
        ++run.after_newline;
      }
    }
  }
  close_run(false, Kind::kSpace);
  return CeilDiv(tenths, kTenths);
}

}  // namespace mooscomp
