#include "wordpiece_normalizer.h"

#include <algorithm>

#include "unicode.h"
#include "utf8.h"

// What "BertNormalizer" means here is what transformers.js (@huggingface/tokenizers)
// computes, which is the reference our parity test checks:
//   1. clean-up: drop NUL, U+FFFD and Cc/Cf/Co (but not \t \n \r); /\s/ becomes a space;
//   2. CJK: ideographs in U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF become words of their own
//      (it tests UTF-16 code units, so the supplementary-plane ranges never match);
//   3. lower case: String.prototype.toLowerCase, i.e. full mappings plus Final_Sigma;
//   4. accents: NFD, then drop Mn;
// then BertPreTokenizer: split on /\s/, and every punctuation character is a word.
// Everything is done code point by code point in one pass; each normalised character
// remembers the original code point it came from.

namespace mooscomp {
namespace {

constexpr char32_t kCapitalSigma = 0x3A3;
constexpr char32_t kSmallSigma = 0x3C3;
constexpr char32_t kFinalSigma = 0x3C2;

bool IsDroppedByCleanup(char32_t cp, uint8_t props) {
  if (cp == 0 || cp == 0xFFFD) return true;
  if (cp == '\t' || cp == '\n' || cp == '\r') return false;  // these become spaces
  return (props & unicode::kControl) != 0;
}

bool IsSplitCjk(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0xF900 && cp <= 0xFAFF);
}

class Splitter {
 public:
  Splitter(std::string_view text, const BertNormalizerOptions& options, BertWordBuffers* buffers,
           WordSink* sink)
      : text_(text), options_(options), b_(*buffers), sink_(sink) {
    b_.bytes.clear();
    b_.char_byte.assign(1, 0);
    b_.src_begin.clear();
    b_.src_end.clear();
  }

  Status Run() {
    size_t pos = 0;
    while (pos < text_.size()) {
      const auto byte = static_cast<unsigned char>(text_[pos]);
      if (byte < 0x80) {
        AddAscii(byte, pos++);
        continue;
      }
      const size_t begin = pos;
      char32_t cp;
      if (!DecodeUtf8(text_, &pos, &cp)) return InvalidUtf8("ill-formed UTF-8 in text");
      const uint8_t props = unicode::Properties(cp);
      if (IsDroppedByCleanup(cp, props)) continue;  // the previous character's span grows
      // Accent stripping turns exactly the Mn code points into nothing (the table generator
      // checks this), and those too leave their bytes to the character before them.
      const bool vanishes = options_.strip_accents && (props & unicode::kNonspacingMark);
      if (!vanishes) ResolveAndEmit(static_cast<uint32_t>(begin));
      if (props & unicode::kSpace) {
        EndWord();
        prev_cased_ = false;
        continue;
      }
      const bool cjk = options_.split_cjk && IsSplitCjk(cp);
      if (cjk) EndWord();
      AddOriginal(cp, props, static_cast<uint32_t>(begin), pos);
      if (cjk) EndWord();
    }
    const auto end = static_cast<uint32_t>(text_.size());
    ResolveAndEmit(end);
    EndWord();
    ResolveAndEmit(end);
    return Status::Ok();
  }

 private:
  size_t num_chars() const { return b_.src_begin.size(); }

  // The common case, with nothing to decompose, reorder or look up.
  void AddAscii(unsigned char c, size_t begin) {
    const uint8_t props = ascii_properties_[c];
    if (IsDroppedByCleanup(c, props)) return;
    ResolveAndEmit(static_cast<uint32_t>(begin));
    if (props & unicode::kSpace) {
      EndWord();
      prev_cased_ = false;
      return;
    }
    if (!(props & unicode::kCaseIgnorable)) prev_cased_ = (props & unicode::kCased) != 0;
    if (props & unicode::kPunct) {
      EndWord();
      Push(c, static_cast<uint32_t>(begin));
      EndWord();
      return;
    }
    if (options_.lowercase && c >= 'A' && c <= 'Z') c += 'a' - 'A';
    Push(c, static_cast<uint32_t>(begin));
    run_start_ = num_chars();
  }

  void Push(char32_t c, uint32_t src) {
    AppendUtf8(c, &b_.bytes);
    b_.char_byte.push_back(static_cast<uint32_t>(b_.bytes.size()));
    b_.src_begin.push_back(src);
    b_.src_end.push_back(src);  // set for real once the next kept code point is seen
  }

  // Lower-cases one original code point and passes on what it becomes.
  void AddOriginal(char32_t cp, uint8_t props, uint32_t src, size_t next_pos) {
    char32_t lowered[3] = {cp, 0, 0};
    size_t count = 1;
    if (options_.lowercase) {
      if (cp == kCapitalSigma) {
        lowered[0] = (prev_cased_ && !FollowedByCased(next_pos)) ? kFinalSigma : kSmallSigma;
      } else {
        count = unicode::ToLower(cp, lowered);
      }
    }
    // Final_Sigma looks back past case-ignorable characters to a cased one.
    if (!(props & unicode::kCaseIgnorable)) prev_cased_ = (props & unicode::kCased) != 0;
    for (size_t i = 0; i < count; ++i) {
      if (options_.strip_accents) {
        AddDecomposed(lowered[i], src);
      } else {
        AddChar(lowered[i], src);
      }
    }
  }

  // NFD, canonical reordering and dropping Mn. Dropped marks still take part in ordering,
  // so a starter (combining class 0) among them still ends the run that may be reordered.
  void AddDecomposed(char32_t cp, uint32_t src) {
    char32_t parts[unicode::kMaxDecomposition];
    const size_t count = unicode::DecomposeCanonical(cp, parts);
    for (size_t i = 0; i < count; ++i) {
      const char32_t c = parts[i];
      const uint8_t ccc = unicode::CombiningClass(c);
      if (unicode::Properties(c) & unicode::kNonspacingMark) {
        if (ccc == 0) run_start_ = num_chars();
        continue;
      }
      AddChar(c, src);
      if (ccc == 0) {
        run_start_ = num_chars();
      } else {
        SortIntoRun(ccc);
      }
    }
  }

  // A normalised character: punctuation is a word of its own, anything else extends the
  // current word.
  void AddChar(char32_t c, uint32_t src) {
    const uint8_t props = unicode::Properties(c);
    if (props & unicode::kSpace) {
      EndWord();
      return;
    }
    const bool punct = (props & unicode::kPunct) != 0;
    if (punct) EndWord();
    Push(c, src);
    if (punct) EndWord();
  }

  // Canonical ordering: moves the last character back past characters of the current run
  // with a higher combining class (a stable insertion sort). Only a few spacing marks
  // with a non-zero class survive accent stripping, so this is rare.
  void SortIntoRun(uint8_t ccc) {
    size_t i = num_chars() - 1;
    while (i > run_start_ && i > word_start_) {
      size_t pos = b_.char_byte[i - 1];
      char32_t prev = 0;
      DecodeUtf8(b_.bytes, &pos, &prev);
      if (unicode::CombiningClass(prev) <= ccc) break;
      SwapWithPrevious(i);
      --i;
    }
    resolved_ = std::min(resolved_, i);
  }

  void SwapWithPrevious(size_t i) {
    const uint32_t a = b_.char_byte[i - 1], mid = b_.char_byte[i], z = b_.char_byte[i + 1];
    std::rotate(b_.bytes.begin() + a, b_.bytes.begin() + mid, b_.bytes.begin() + z);
    b_.char_byte[i] = a + (z - mid);
    std::swap(b_.src_begin[i - 1], b_.src_begin[i]);
    std::swap(b_.src_end[i - 1], b_.src_end[i]);
  }

  // Whether the next code point that is neither dropped nor case-ignorable is cased.
  bool FollowedByCased(size_t pos) const {
    while (pos < text_.size()) {
      char32_t cp;
      if (!DecodeUtf8(text_, &pos, &cp)) return false;
      const uint8_t props = unicode::Properties(cp);
      if (IsDroppedByCleanup(cp, props) || (props & unicode::kCaseIgnorable)) continue;
      return (props & unicode::kCased) != 0;
    }
    return false;
  }

  void EndWord() {
    const size_t n = num_chars();
    if (n > word_start_) {
      complete_word_ends_.push_back(n);
      word_start_ = n;
    }
    run_start_ = n;
  }

  // Characters seen so far end where the next kept code point begins (`boundary`), which
  // gives them whatever was dropped in between. Complete words are then final.
  void ResolveAndEmit(uint32_t boundary) {
    const size_t n = num_chars();
    if (resolved_ == n && complete_word_ends_.empty()) return;
    for (size_t i = resolved_; i < n; ++i) b_.src_end[i] = boundary;
    resolved_ = n;
    if (complete_word_ends_.empty()) return;
    size_t start = 0;
    for (const size_t end : complete_word_ends_) {
      NormalizedWord word{b_.bytes.data(), b_.char_byte.data() + start, b_.src_begin.data() + start,
                          b_.src_end.data() + start, end - start};
      sink_->OnWord(word);
      start = end;
    }
    DropFront(start);
    complete_word_ends_.clear();
  }

  // Forgets the first `count` characters (emitted words); what stays is at most the few
  // characters of one code point, so this is cheap.
  void DropFront(size_t count) {
    if (count == num_chars()) {  // usual: nothing of the next word yet
      b_.bytes.clear();
      b_.char_byte.resize(1);
      b_.src_begin.clear();
      b_.src_end.clear();
      resolved_ = word_start_ = run_start_ = 0;
      return;
    }
    const uint32_t bytes = b_.char_byte[count];
    b_.bytes.erase(0, bytes);
    b_.char_byte.erase(b_.char_byte.begin(), b_.char_byte.begin() + count);
    for (uint32_t& offset : b_.char_byte) offset -= bytes;
    b_.src_begin.erase(b_.src_begin.begin(), b_.src_begin.begin() + count);
    b_.src_end.erase(b_.src_end.begin(), b_.src_end.begin() + count);
    resolved_ -= std::min(resolved_, count);
    word_start_ -= std::min(word_start_, count);
    run_start_ -= std::min(run_start_, count);
  }

  std::string_view text_;
  const BertNormalizerOptions& options_;
  BertWordBuffers& b_;
  WordSink* sink_;
  const uint8_t* ascii_properties_ = unicode::AsciiProperties();
  size_t resolved_ = 0;    // characters before this have their src_end
  size_t word_start_ = 0;  // first character of the word being built
  size_t run_start_ = 0;   // first character that canonical reordering may move
  std::vector<size_t> complete_word_ends_;
  bool prev_cased_ = false;  // Final_Sigma context before the current code point
};

}  // namespace

Status SplitBertWords(std::string_view text, const BertNormalizerOptions& options,
                      BertWordBuffers* buffers, WordSink* sink) {
  return Splitter(text, options, buffers, sink).Run();
}

}  // namespace mooscomp
