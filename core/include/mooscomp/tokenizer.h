// The tokenizer contract shared by SentencePiece and WordPiece.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mooscomp/status.h"

namespace mooscomp {

// Parallel arrays, one entry per token. Spans are byte offsets into the ORIGINAL text
// passed to Encode (plus `base`), so output can be sliced from it without detokenising.
struct Encoding {
  std::vector<int32_t> ids;
  std::vector<uint32_t> begin;        // byte offset of the token's first byte
  std::vector<uint32_t> end;          // one past its last byte
  std::vector<uint8_t> word_start;    // 1 if the token starts a word (SentencePiece "▁",
                                      // WordPiece: not "##"; punctuation tokens start words)

  size_t size() const { return ids.size(); }
  void clear() { ids.clear(); begin.clear(); end.clear(); word_start.clear(); }
};

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;

  // Appends the tokens of `text` (valid UTF-8, checked by the caller) to `out`, with spans
  // shifted by `base`. Never adds special tokens. Tokens whose text is empty in the original
  // (none expected) must still carry a valid span (begin == end).
  virtual Status Encode(std::string_view text, uint32_t base, Encoding* out) const = 0;

  // The model-side ids of the special tokens wrapped around each window.
  virtual int32_t cls_id() const = 0;  // <s> / [CLS]
  virtual int32_t sep_id() const = 0;  // </s> / [SEP]
  virtual int32_t pad_id() const = 0;
  virtual int32_t unk_id() const = 0;
  virtual int32_t vocab_size() const = 0;
};

struct WordPieceOptions {
  bool lowercase = true;             // uncased vocabularies (bert-base-uncased)
  std::optional<bool> strip_accents;  // unset: follows lowercase, as Hugging Face does
  bool tokenize_chinese_chars = true;
  int max_input_chars_per_word = 100;
};

// `vocab` is the text of a vocab.txt (one token a line, id = line number).
Result<std::unique_ptr<Tokenizer>> LoadWordPiece(std::string_view vocab, const WordPieceOptions& options);

struct SentencePieceOptions {
  // XLM-R / fairseq layout: <s>=0 <pad>=1 </s>=2 <unk>=3 and every other piece id + 1.
  bool fairseq_offset = false;
  // Text longer than this is encoded in slices cut before a space, where the model splits
  // pieces anyway: the library builds a protobuf of every piece, about 200 bytes a token, so
  // one 2 MB call would peak at ~190 MB. Words (their spans and starts) are the same as in one
  // call; inside a word whose splits score exactly alike ("eeee": "ee"+"e" or "e"+"ee") the
  // library's choice depends on the float sum of all text before it in the call, so it can
  // differ, as it already does between two texts that differ before that word. 0: one call.
  size_t encode_slice_bytes = 64 * 1024;
};

// `model` is the serialized bytes of a SentencePiece .model file.
Result<std::unique_ptr<Tokenizer>> LoadSentencePiece(std::string_view model, const SentencePieceOptions& options);

enum class TokenizerKind { kWordPiece, kSentencePiece };

// A model's tokenizer (read from manifest.json by the caller): which loader, and its options.
struct TokenizerSpec {
  TokenizerKind kind = TokenizerKind::kWordPiece;
  WordPieceOptions wordpiece;          // used when kind is kWordPiece
  SentencePieceOptions sentencepiece;  // used when kind is kSentencePiece
};

// LoadWordPiece or LoadSentencePiece, as spec.kind says; kInvalidModel for an unknown kind.
Result<std::unique_ptr<Tokenizer>> LoadTokenizer(std::string_view bytes, const TokenizerSpec& spec);

}  // namespace mooscomp
