#include "chunker.h"

#include <algorithm>

#include "utf8.h"

namespace mooscomp {
namespace {

enum : uint8_t { kStartsWord = 1, kChunkEndAfter = 2 };


std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool IsOneOf(std::string_view s, const std::vector<std::string>& set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

bool ContainsAny(std::string_view s, const std::vector<std::string>& set) {
  for (const std::string& c : set) {
    if (s.find(c) != std::string_view::npos) return true;
  }
  return false;
}

// Marks, per token of the context, whether a cut may go before it (it starts a word) and
// whether a cut after it is a chunk end.
void MarkCutPoints(const ChunkInput& in, const std::vector<std::string>& chunk_end_tokens,
                   std::vector<uint8_t>* marks) {
  const Encoding& tokens = *in.tokens;
  const std::vector<WordSpan>& words = *in.words;
  marks->assign(in.token_end - in.token_begin, 0);
  uint32_t w = in.word_begin;
  while (w < in.word_end) {
    const WordSpan& word = words[w];
    if (word.token_begin == word.token_end) {
      ++w;
      continue;
    }
    (*marks)[word.token_begin - in.token_begin] |= kStartsWord;
    uint32_t next = w + 1;  // the next word that has tokens
    while (next < in.word_end && words[next].token_begin == words[next].token_end) ++next;
    const uint32_t last = word.token_end - 1;
    const uint32_t gap_begin = tokens.end[last];
    const uint32_t gap_end = next < in.word_end ? tokens.begin[words[next].token_begin]
                                                : static_cast<uint32_t>(in.text.size());
    const std::string_view last_token = in.text.substr(tokens.begin[last], tokens.end[last] - tokens.begin[last]);
    const bool chunk_end =
        IsOneOf(Trimmed(last_token), chunk_end_tokens) ||
        IsOneOf(in.text.substr(word.begin, word.end - word.begin), chunk_end_tokens) ||
        (gap_end > gap_begin && ContainsAny(in.text.substr(gap_begin, gap_end - gap_begin), chunk_end_tokens));
    if (chunk_end) (*marks)[last - in.token_begin] |= kChunkEndAfter;
    w = next;
  }
}

}  // namespace

void ChunkContext(const ChunkInput& in, const std::vector<std::string>& chunk_end_tokens, uint32_t limit,
                  std::vector<uint8_t>* scratch, std::vector<Window>* out) {
  if (in.word_begin == in.word_end) return;
  const size_t first_window = out->size();
  MarkCutPoints(in, chunk_end_tokens, scratch);
  const std::vector<uint8_t>& marks = *scratch;
  auto mark = [&](uint32_t token) { return marks[token - in.token_begin]; };

  uint32_t t = in.token_begin;
  do {
    uint32_t cut = in.token_end;
    if (in.token_end - t > limit) {
      // Scan back from the limit for the last chunk end, remembering the last word start.
      uint32_t last_word_start = 0;
      cut = 0;
      for (uint32_t c = t + limit; c > t; --c) {
        if (!(mark(c) & kStartsWord)) continue;
        if (last_word_start == 0) last_word_start = c;
        if (mark(c - 1) & kChunkEndAfter) {
          cut = c;
          break;
        }
      }
      if (cut == 0) cut = last_word_start != 0 ? last_word_start : t + limit;
    }
    out->push_back({in.context, t, cut, 0, 0});
    t = cut;
  } while (t < in.token_end);

  // Assign words: by first token, token-less words to the window of the word before.
  size_t win = first_window;
  (*out)[win].word_begin = in.word_begin;
  for (uint32_t w = in.word_begin; w < in.word_end; ++w) {
    const WordSpan& word = (*in.words)[w];
    if (word.token_begin == word.token_end) continue;
    while (word.token_begin >= (*out)[win].token_end) {
      (*out)[win].word_end = w;
      ++win;
      (*out)[win].word_begin = w;
    }
  }
  (*out)[win].word_end = in.word_end;
  for (++win; win < out->size(); ++win) (*out)[win].word_begin = (*out)[win].word_end = in.word_end;
}

}  // namespace mooscomp
