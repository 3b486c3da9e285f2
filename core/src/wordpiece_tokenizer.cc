// BERT WordPiece: the normaliser and pre-tokeniser of wordpiece_normalizer.h, then greedy
// longest-match-first pieces with "##" continuations, as Hugging Face's WordPiece model.
#include <algorithm>
#include <limits>
#include <memory>

#include "mooscomp/tokenizer.h"
#include "wordpiece_normalizer.h"
#include "wordpiece_vocab.h"

namespace mooscomp {
namespace {

class WordPieceTokenizer final : public Tokenizer {
 public:
  Status Init(std::string_view vocab_txt, const WordPieceOptions& options) {
    MOOSCOMP_RETURN_IF_ERROR(vocab_.Parse(vocab_txt));
    const struct {
      const char* token;
      int32_t* id;
    } specials[] = {{"[CLS]", &cls_id_}, {"[SEP]", &sep_id_}, {"[PAD]", &pad_id_}, {"[UNK]", &unk_id_}};
    for (const auto& special : specials) {
      *special.id = vocab_.Find(special.token);
      if (*special.id == WordPieceVocab::kNotFound) {
        return InvalidModel(std::string("WordPiece vocab has no ") + special.token);
      }
    }
    normalizer_.lowercase = options.lowercase;
    normalizer_.strip_accents = options.strip_accents.value_or(options.lowercase);
    normalizer_.split_cjk = options.tokenize_chinese_chars;
    max_chars_per_word_ = options.max_input_chars_per_word;
    return Status::Ok();
  }

  Status Encode(std::string_view text, uint32_t base, Encoding* out) const override {
    if (out == nullptr) return InvalidArgument("Encode needs an output");
    if (text.size() > std::numeric_limits<uint32_t>::max() - base) {
      return InvalidArgument("text too long for 32-bit offsets");
    }
    const size_t old_size = out->size();
    BertWordBuffers buffers;
    PieceWriter writer(*this, base, out);
    Status status = SplitBertWords(text, normalizer_, &buffers, &writer);
    if (!status.ok()) {  // leave `out` as it was
      out->ids.resize(old_size);
      out->begin.resize(old_size);
      out->end.resize(old_size);
      out->word_start.resize(old_size);
    }
    return status;
  }

  int32_t cls_id() const override { return cls_id_; }
  int32_t sep_id() const override { return sep_id_; }
  int32_t pad_id() const override { return pad_id_; }
  int32_t unk_id() const override { return unk_id_; }
  int32_t vocab_size() const override { return vocab_.size(); }

 private:
  // Splits each word into pieces and appends them to the encoding.
  class PieceWriter final : public WordSink {
   public:
    PieceWriter(const WordPieceTokenizer& tokenizer, uint32_t base, Encoding* out)
        : t_(tokenizer), base_(base), out_(out) {}

    void OnWord(const NormalizedWord& word) override {
      const size_t n = word.num_chars;
      if (n == 0) return;
      pieces_.clear();
      if (n > static_cast<size_t>(std::max(t_.max_chars_per_word_, 0)) || !FindPieces(word)) {
        pieces_.assign(1, Piece{t_.unk_id_, 0, n});
      }
      uint32_t prev_end = 0;
      for (size_t k = 0; k < pieces_.size(); ++k) {
        const Piece& p = pieces_[k];
        // Characters may share or reorder original code points; the span is their hull,
        // clipped so that the pieces of a word never overlap.
        uint32_t begin = word.src_begin[p.first], end = word.src_end[p.first];
        for (size_t i = p.first + 1; i < p.last; ++i) {
          begin = std::min(begin, word.src_begin[i]);
          end = std::max(end, word.src_end[i]);
        }
        if (k > 0) begin = std::max(begin, prev_end);
        end = std::max(end, begin);
        prev_end = end;
        out_->ids.push_back(p.id);
        out_->begin.push_back(base_ + begin);
        out_->end.push_back(base_ + end);
        out_->word_start.push_back(k == 0 ? 1 : 0);
      }
    }

   private:
    struct Piece {
      int32_t id;
      size_t first, last;  // characters of the word
    };

    // Greedy longest match first; false when some position matches nothing.
    bool FindPieces(const NormalizedWord& word) {
      const size_t n = word.num_chars;
      for (size_t start = 0; start < n;) {
        const size_t max_bytes = start == 0 ? t_.vocab_.max_token_bytes() : t_.vocab_.max_continuation_bytes();
        size_t end = std::min(n, start + max_bytes);  // a character is at least a byte
        while (end > start && word.char_byte[end] - word.char_byte[start] > max_bytes) --end;
        int32_t id = WordPieceVocab::kNotFound;
        for (; end > start; --end) {
          const std::string_view piece = word.Text(start, end);
          id = start == 0 ? t_.vocab_.Find(piece) : t_.vocab_.FindContinuation(piece);
          if (id != WordPieceVocab::kNotFound) break;
        }
        if (id == WordPieceVocab::kNotFound) return false;
        pieces_.push_back(Piece{id, start, end});
        start = end;
      }
      return true;
    }

    const WordPieceTokenizer& t_;
    uint32_t base_;
    Encoding* out_;
    std::vector<Piece> pieces_;
  };

  WordPieceVocab vocab_;
  BertNormalizerOptions normalizer_;
  int max_chars_per_word_ = 100;
  int32_t cls_id_ = 0, sep_id_ = 0, pad_id_ = 0, unk_id_ = 0;
};

}  // namespace

Result<std::unique_ptr<Tokenizer>> LoadWordPiece(std::string_view vocab, const WordPieceOptions& options) {
  auto tokenizer = std::make_unique<WordPieceTokenizer>();
  MOOSCOMP_RETURN_IF_ERROR(tokenizer->Init(vocab, options));
  return std::unique_ptr<Tokenizer>(std::move(tokenizer));
}

}  // namespace mooscomp
