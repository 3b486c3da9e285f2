#include "wordpiece_vocab.h"

#include <cstring>
#include <limits>

#include "utf8.h"

namespace mooscomp {
namespace {

// A word-at-a-time multiplicative hash: keys are short, so speed beats mixing quality.
uint32_t HashBytes(std::string_view s) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
  }
  uint64_t tail = 0;
  if (i < s.size()) std::memcpy(&tail, s.data() + i, s.size() - i);
  h = (h ^ tail) * 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 29;
  return static_cast<uint32_t>(h);
}

}  // namespace

void WordPieceVocab::Index::Reset(size_t expected) {
  size_t capacity = 16;
  while (capacity < expected + expected / 2) capacity *= 2;  // load factor below 2/3
  slots.assign(capacity, Slot{0, kNotFound});
  max_key_bytes = 0;
}

bool WordPieceVocab::Index::Insert(const std::string& text, const std::vector<Span>& tokens,
                                   int32_t id, size_t skip) {
  const Span span = tokens[id];
  const std::string_view key(text.data() + span.offset + skip, span.size - skip);
  const uint32_t hash = HashBytes(key);
  const size_t mask = slots.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& slot = slots[i];
    if (slot.id == kNotFound) {
      slot = Slot{hash, id};
      if (key.size() > max_key_bytes) max_key_bytes = key.size();
      return true;
    }
    if (slot.hash == hash) {
      const Span other = tokens[slot.id];
      if (std::string_view(text.data() + other.offset + skip, other.size - skip) == key) return false;
    }
  }
}

int32_t WordPieceVocab::Index::Find(const std::string& text, const std::vector<Span>& tokens,
                                    std::string_view key, size_t skip) const {
  if (slots.empty()) return kNotFound;
  const uint32_t hash = HashBytes(key);
  const size_t mask = slots.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots[i];
    if (slot.id == kNotFound) return kNotFound;
    if (slot.hash != hash) continue;
    const Span span = tokens[slot.id];
    if (span.size - skip == key.size() &&
        std::memcmp(text.data() + span.offset + skip, key.data(), key.size()) == 0) {
      return slot.id;
    }
  }
}

Status WordPieceVocab::Parse(std::string_view vocab_txt) {
  if (vocab_txt.empty()) return InvalidModel("WordPiece vocab is empty");
  if (vocab_txt.size() >= std::numeric_limits<uint32_t>::max()) {
    return InvalidModel("WordPiece vocab is too large");
  }
  const size_t bad = FindInvalidUtf8(vocab_txt);
  if (bad != vocab_txt.size()) {
    return InvalidModel("WordPiece vocab is not valid UTF-8 at byte " + std::to_string(bad));
  }
  text_.assign(vocab_txt.data(), vocab_txt.size());
  tokens_.clear();
  size_t line_start = 0;
  while (line_start < text_.size()) {
    size_t line_end = text_.find('\n', line_start);
    if (line_end == std::string::npos) line_end = text_.size();
    size_t token_end = line_end;
    if (token_end > line_start && text_[token_end - 1] == '\r') --token_end;
    if (token_end == line_start) {
      return InvalidModel("WordPiece vocab has an empty line " + std::to_string(tokens_.size() + 1));
    }
    tokens_.push_back(Span{static_cast<uint32_t>(line_start), static_cast<uint32_t>(token_end - line_start)});
    line_start = line_end + 1;
  }
  whole_.Reset(tokens_.size());
  size_t continuation_count = 0;
  for (const Span& t : tokens_) {
    if (t.size > kPrefixSize && std::memcmp(text_.data() + t.offset, "##", kPrefixSize) == 0) {
      ++continuation_count;
    }
  }
  continuation_.Reset(continuation_count);
  for (size_t id = 0; id < tokens_.size(); ++id) {
    const Span t = tokens_[id];
    const auto token_id = static_cast<int32_t>(id);
    if (!whole_.Insert(text_, tokens_, token_id, 0)) {
      return InvalidModel("WordPiece vocab repeats the token on line " + std::to_string(id + 1));
    }
    if (t.size > kPrefixSize && std::memcmp(text_.data() + t.offset, "##", kPrefixSize) == 0) {
      continuation_.Insert(text_, tokens_, token_id, kPrefixSize);  // unique: whole tokens are
    }
  }
  return Status::Ok();
}

}  // namespace mooscomp
