// A WordPiece vocabulary (vocab.txt) held in one buffer, with two open-addressing hash
// indexes: whole tokens, and "##" continuation tokens keyed without their prefix, so that
// lookups take views into the word being encoded and never build a string.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mooscomp/status.h"

namespace mooscomp {

class WordPieceVocab {
 public:
  static constexpr int32_t kNotFound = -1;

  // One token a line, id = line number (0-based); a final newline is optional and a
  // trailing '\r' is ignored. Empty lines, duplicates and ill-formed UTF-8 are errors.
  Status Parse(std::string_view vocab_txt);

  int32_t Find(std::string_view token) const { return whole_.Find(text_, tokens_, token, 0); }
  // The id of "##" + piece.
  int32_t FindContinuation(std::string_view piece) const {
    return continuation_.Find(text_, tokens_, piece, kPrefixSize);
  }

  int32_t size() const { return static_cast<int32_t>(tokens_.size()); }
  // Longest keys in bytes: no lookup of anything longer can succeed.
  size_t max_token_bytes() const { return whole_.max_key_bytes; }
  size_t max_continuation_bytes() const { return continuation_.max_key_bytes; }

 private:
  static constexpr size_t kPrefixSize = 2;  // "##"

  struct Span {
    uint32_t offset;
    uint32_t size;
  };

  struct Index {
    struct Slot {
      uint32_t hash;
      int32_t id;  // kNotFound when empty
    };
    std::vector<Slot> slots;  // power-of-two size
    size_t max_key_bytes = 0;

    void Reset(size_t expected);
    // Inserts token `id`, keyed by its text after `skip` bytes; false if already there.
    bool Insert(const std::string& text, const std::vector<Span>& tokens, int32_t id, size_t skip);
    int32_t Find(const std::string& text, const std::vector<Span>& tokens, std::string_view key,
                 size_t skip) const;
  };

  std::string text_;         // the vocab.txt bytes
  std::vector<Span> tokens_; // id -> its bytes in text_
  Index whole_;
  Index continuation_;
};

}  // namespace mooscomp
