// LoadSentencePiece: the Tokenizer contract over the real sentencepiece library.
//
// Ids: without fairseq_offset, the model's own ids and special pieces (bos/eos/pad/unk).
// With it, the XLM-R layout: <s>=0 <pad>=1 </s>=2 <unk>=3, every other piece id + 1, and a
// final <mask> id (vocab_size = pieces + 2), as fairseq and Hugging Face do.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mooscomp/tokenizer.h"
#include "sentencepiece.pb.h"
#include "sentencepiece_charsmap_check.h"
#include "sentencepiece_model.pb.h"
#include "sentencepiece_processor.h"
#include "unicode.h"
#include "utf8.h"

namespace mooscomp {
namespace {

constexpr std::string_view kWordBoundary = "\xE2\x96\x81";  // U+2581 "▁"

// What the tokenizer needs to know about each piece, precomputed per id.
enum PieceFlags : uint8_t {
  kStartsWord = 1,     // begins with "▁", or is one punctuation character
  kBoundaryOnly = 2,   // exactly "▁": a space (or the dummy prefix) with no text of its own
  kBoundaryPrefix = 4, // begins with "▁"
  kBytePiece = 8,      // <0x00>..<0xFF>: a byte of a character outside the vocabulary
  kPunctRun = 16,      // one ASCII punctuation character, once or repeated ("." "..." "--")
};

uint8_t ClassifyPiece(std::string_view piece) {
  uint8_t flags = 0;
  if (piece.substr(0, kWordBoundary.size()) == kWordBoundary) flags |= kStartsWord | kBoundaryPrefix;
  if (piece == kWordBoundary) flags |= kBoundaryOnly;
  // LLMLingua-2 starts a word at any token found in Python's string.punctuation (XLM-R).
  if (piece.size() == 1 && IsAsciiPunctuation(static_cast<unsigned char>(piece[0]))) flags |= kStartsWord;
  // A run of one punctuation character splits in pieces whose order ties in score ("...." is
  // "."+"..." or "..."+"."), and the library's pick follows the float sum of the text before
  // it in the call, so it differs between a slice and the whole text. So that the words do
  // not, a repeated character starts a word as a single one does, and EncodeSlice keeps the
  // rest of its run in that word: the run is one word however it splits.
  if (!piece.empty() && IsAsciiPunctuation(static_cast<unsigned char>(piece[0])) &&
      piece.find_first_not_of(piece[0]) == std::string_view::npos) {
    flags |= kStartsWord | kPunctRun;
  }
  return flags;
}

absl::string_view AsAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

class SentencePieceTokenizer final : public Tokenizer {
 public:
  SentencePieceTokenizer(std::unique_ptr<sentencepiece::SentencePieceProcessor> processor,
                         bool fairseq_offset, size_t slice_bytes)
      : processor_(std::move(processor)), fairseq_offset_(fairseq_offset) {
    // Slicing at spaces is exact only when the model splits pieces at whitespace, collapses
    // whitespace runs and adds the dummy "▁" prefix: then " word" encodes alike alone and
    // after other text.
    const auto& proto = processor_->model_proto();
    const bool exact = proto.normalizer_spec().add_dummy_prefix() && proto.normalizer_spec().remove_extra_whitespaces() &&
                       proto.trainer_spec().split_by_whitespace() && !proto.trainer_spec().treat_whitespace_as_suffix();
    slice_bytes_ = exact ? slice_bytes : 0;
    const int pieces = processor_->GetPieceSize();
    spm_unk_ = processor_->unk_id();
    flags_.resize(pieces);
    for (int id = 0; id < pieces; ++id) {
      flags_[id] = ClassifyPiece(processor_->IdToPiece(id)) | (processor_->IsByte(id) ? kBytePiece : 0);
    }
    if (fairseq_offset_) {
      cls_ = 0, pad_ = 1, sep_ = 2, unk_ = 3;
      vocab_size_ = pieces + 2;
    } else {
      // A model without bos/eos/pad still gets valid ids: eos pads (padding is masked),
      // and unk stands in for a missing bos/eos.
      unk_ = spm_unk_;
      cls_ = processor_->bos_id() >= 0 ? processor_->bos_id() : unk_;
      sep_ = processor_->eos_id() >= 0 ? processor_->eos_id() : unk_;
      pad_ = processor_->pad_id() >= 0 ? processor_->pad_id() : sep_;
      vocab_size_ = pieces;
    }
  }

  Status Encode(std::string_view text, uint32_t base, Encoding* out) const override {
    size_t start = 0;
    while (slice_bytes_ > 0 && text.size() - start > slice_bytes_) {
      const size_t cut = SliceEnd(text, start);
      if (cut == text.size()) break;
      MOOSCOMP_RETURN_IF_ERROR(EncodeSlice(text.substr(start, cut - start), base + static_cast<uint32_t>(start), start > 0, out));
      start = cut;
    }
    return EncodeSlice(text.substr(start), base + static_cast<uint32_t>(start), start > 0, out);
  }

  // Where the slice from `start` ends: before a space that follows a visible ASCII character,
  // the last such place within slice_bytes_, else the first after it (text.size() if none).
  size_t SliceEnd(std::string_view text, size_t start) const {
    const auto cut_here = [&](size_t i) {
      const auto prev = static_cast<unsigned char>(text[i - 1]);
      return text[i] == ' ' && prev > 0x20 && prev < 0x7F;
    };
    for (size_t i = start + slice_bytes_; i > start; --i) {
      if (cut_here(i)) return i;
    }
    for (size_t i = start + slice_bytes_ + 1; i < text.size(); ++i) {
      if (cut_here(i)) return i;
    }
    return text.size();
  }

  // after_cut: the slice starts at a cut, with the spaces the library drops as leading
  // whitespace; in one call they belong to the first piece, so its span starts there.
  Status EncodeSlice(std::string_view text, uint32_t base, bool after_cut, Encoding* out) const {
    if (text.empty()) return Status::Ok();
    sentencepiece::SentencePieceText spt;
    const auto status = processor_->Encode(AsAbsl(text), &spt);
    if (!status.ok()) return Internal("sentencepiece: " + status.ToString());

    // The library reports each piece's span in the original text; normalisation can make
    // spans empty, overlap or (on odd input) run past the end, so clamp them into
    // monotonic, in-range spans.
    const uint32_t size = static_cast<uint32_t>(text.size());
    const size_t first = out->size();
    uint32_t floor = 0;
    char run = 0;  // the last byte of the previous piece (0 after a byte piece)
    std::vector<uint8_t> flags;
    flags.reserve(spt.pieces_size());
    for (const auto& piece : spt.pieces()) {
      const int spm_id = static_cast<int>(piece.id());
      const uint32_t begin = std::min(std::max(piece.begin(), floor), size);
      const uint32_t end = std::min(std::max(piece.end(), begin), size);
      floor = end;
      const bool known = spm_id >= 0 && static_cast<size_t>(spm_id) < flags_.size();
      const uint8_t f = known ? flags_[spm_id] : 0;
      const bool continues_run = (f & kPunctRun) && piece.piece()[0] == run;
      run = (f & kBytePiece) || piece.piece().empty() ? 0 : piece.piece().back();
      if (spm_id == spm_unk_) {
        AppendUnknown(text, begin, end, base, f, &flags, out);
        continue;
      }
      flags.push_back(f);
      out->ids.push_back(ToModelId(spm_id));
      out->begin.push_back(base + begin);
      out->end.push_back(base + end);
      out->word_start.push_back((f & kStartsWord) && !continues_run ? 1 : 0);
    }
    if (after_cut && out->size() > first) out->begin[first] = base;
    GiveSpelledTextToFirstBytePiece(first, flags, out);
    MergeEmptyWords(first, flags, out);
    return Status::Ok();
  }

  // A run of characters the vocabulary lacks is one unknown piece: a whole sentence of Han or
  // kana under an English vocabulary. It becomes one unknown token per character of a script
  // written without spaces (the rest of the run stays together), so that those characters can
  // be words of their own and a budget can cut inside the sentence.
  void AppendUnknown(std::string_view text, uint32_t begin, uint32_t end, uint32_t base, uint8_t f,
                     std::vector<uint8_t>* flags, Encoding* out) const {
    auto emit = [&](uint32_t b, uint32_t e, bool first) {
      flags->push_back(first ? f : 0);
      out->ids.push_back(unk_);
      out->begin.push_back(base + b);
      out->end.push_back(base + e);
      out->word_start.push_back(first && (f & kStartsWord) ? 1 : 0);
    };
    uint32_t start = begin;
    bool previous_spaceless = false;
    size_t pos = begin;
    char32_t cp = 0;
    while (pos < end) {
      const size_t at = pos;
      if (!DecodeUtf8(text, &pos, &cp) || pos > end) break;
      const bool spaceless = unicode::IsSpacelessScript(cp);
      if (at > start && (spaceless || previous_spaceless)) {
        emit(start, static_cast<uint32_t>(at), start == begin);
        start = static_cast<uint32_t>(at);
      }
      previous_spaceless = spaceless;
    }
    emit(start, end, start == begin);
  }

  // Under byte fallback the library gives a character it spells in byte pieces ("团" as
  // <0xE5> <0x9B> <0xA2>) to the last piece and leaves the others empty, so the first pieces
  // would join the word before (a Han character starts its word at the token with its text).
  // The first piece takes the text instead: the character's word holds all its pieces, as
  // training labels them, and the pieces that stay empty follow the text.
  static void GiveSpelledTextToFirstBytePiece(size_t first, const std::vector<uint8_t>& flags, Encoding* out) {
    size_t run = first;  // the first of the empty byte pieces right before i
    for (size_t i = first; i < out->size(); ++i) {
      if (!(flags[i - first] & kBytePiece)) {
        run = i + 1;
        continue;
      }
      if (out->begin[i] == out->end[i]) continue;
      if (run < i && out->begin[run] == out->begin[i]) {
        out->end[run] = out->end[i];
        for (size_t j = run + 1; j <= i; ++j) out->begin[j] = out->end[j] = out->end[i];
      }
      run = i + 1;
    }
  }

  // Words are built from word starts, and a word must have text of its own. A piece with
  // no original bytes (the dummy-prefix "▁", or the first pieces of a normalisation
  // expansion such as "…" -> ". . .", whose bytes go to the last piece) never starts a
  // word, and a bare "▁" carries the next piece with bytes into its word (" ?" is one word,
  // where LLMLingua-2 would leave the "▁" as an empty word of its own).
  static void MergeEmptyWords(size_t first, const std::vector<uint8_t>& flags, Encoding* out) {
    bool carry = false;
    for (size_t i = first; i < out->size(); ++i) {
      const uint8_t f = flags[i - first];
      const bool empty = out->begin[i] == out->end[i];
      if (empty && i > first) {
        out->word_start[i] = 0;
        continue;
      }
      if (carry && !(f & kBoundaryPrefix)) out->word_start[i] = 0;
      carry = out->word_start[i] && (empty || (f & kBoundaryOnly));
    }
  }

  int32_t cls_id() const override { return cls_; }
  int32_t sep_id() const override { return sep_; }
  int32_t pad_id() const override { return pad_; }
  int32_t unk_id() const override { return unk_; }
  int32_t vocab_size() const override { return vocab_size_; }

 private:
  int32_t ToModelId(int spm_id) const {
    if (!fairseq_offset_) return spm_id;
    return spm_id == spm_unk_ ? unk_ : spm_id + 1;
  }

  std::unique_ptr<sentencepiece::SentencePieceProcessor> processor_;
  bool fairseq_offset_;
  size_t slice_bytes_ = 0;  // 0: never slice
  int spm_unk_ = 0;
  int32_t cls_ = 0, sep_ = 0, pad_ = 0, unk_ = 0, vocab_size_ = 0;
  std::vector<uint8_t> flags_;  // PieceFlags per sentencepiece id
};

}  // namespace

Result<std::unique_ptr<Tokenizer>> LoadSentencePiece(std::string_view model,
                                                    const SentencePieceOptions& options) {
  if (model.empty()) return InvalidModel("sentencepiece: empty model");
  auto processor = std::make_unique<sentencepiece::SentencePieceProcessor>();
  const auto status = processor->LoadFromSerializedProto(AsAbsl(model));
  if (!status.ok()) return InvalidModel("sentencepiece: " + status.ToString());

  const auto& proto = processor->model_proto();
  if (!IsSafePrecompiledCharsMap(proto.normalizer_spec().precompiled_charsmap()) ||
      !IsSafePrecompiledCharsMap(proto.denormalizer_spec().precompiled_charsmap())) {
    return InvalidModel("sentencepiece: corrupt normalisation rules");
  }
  const int pieces = processor->GetPieceSize();
  const int unk = processor->unk_id();
  if (pieces <= 0 || unk < 0 || unk >= pieces) {
    return InvalidModel("sentencepiece: model has no pieces or no unknown piece");
  }
  return std::unique_ptr<Tokenizer>(
      new SentencePieceTokenizer(std::move(processor), options.fairseq_offset, options.encode_slice_bytes));
}

}  // namespace mooscomp
