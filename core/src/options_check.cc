#include "options_check.h"

#include <cmath>
#include <string>

#include "utf8.h"

namespace mooscomp {
namespace {

constexpr int64_t kMaxCount = 2147483647;  // 2^31 - 1, as js/src/option-table.js
constexpr size_t kMaxStrings = 100;
constexpr int kMaxBatchSize = 1024;

// -1 means unset; else [1, 2^31 - 1] (0 would ask for nothing).
Status CheckOptionalCount(int64_t value, const char* name) {
  if (value != -1 && (value < 1 || value > kMaxCount)) {
    return InvalidArgument(std::string(name) + " must be in [1, 2147483647], or -1 for unset");
  }
  return Status::Ok();
}

const char* OutlierName(OutlierKind kind) {
  switch (kind) {
    case OutlierKind::kHidden: return "hidden";
    case OutlierKind::kLexical: return "lexical";
    case OutlierKind::kHiddenTrain: return "hidden-train";
    case OutlierKind::kWordRarity: return "word-rarity";
    case OutlierKind::kWordRarityFirst: return "word-rarity-first";
    default: return "none";
  }
}

}  // namespace

Status CheckModelSpec(const ModelSpec& spec, int32_t vocab_size) {
  if (spec.max_seq_len < 3) return InvalidModel("max_seq_len must leave room for CLS, SEP and a token");
  if (spec.preserve_label != 0 && spec.preserve_label != 1) return InvalidModel("preserve_label must be 0 or 1");
  if (spec.hidden_size < 0) return InvalidModel("hidden_size must not be negative");
  if (!spec.neg_log_freq.empty() && spec.neg_log_freq.size() < static_cast<size_t>(vocab_size)) {
    return InvalidModel("the -log frequency table is smaller than the vocabulary");
  }
  for (const float f : spec.neg_log_freq) {
    if (!std::isfinite(f)) return InvalidModel("the -log frequency table must be finite");
  }
  // Checked even without hidden statistics: a non-finite value is a broken spec, used or not.
  if (!std::isfinite(spec.hidden_score_mean) || !std::isfinite(spec.hidden_score_std)) {
    return InvalidModel("the hidden score statistics must be finite");
  }
  if (!spec.hidden_mean.empty() || !spec.hidden_std.empty()) {
    const auto dims = static_cast<size_t>(spec.hidden_size);
    if (spec.hidden_mean.size() != dims || spec.hidden_std.size() != dims) {
      return InvalidModel("the hidden statistics must have hidden_size values each");
    }
    for (size_t d = 0; d < dims; ++d) {
      if (!std::isfinite(spec.hidden_mean[d]) || !std::isfinite(spec.hidden_std[d]) || spec.hidden_std[d] < 0.0f) {
        return InvalidModel("the hidden statistics must be finite, with std >= 0");
      }
    }
    if (!(spec.hidden_score_std > 0.0)) return InvalidModel("the hidden score std must be > 0");
  }
  if (!std::isfinite(spec.word_rarity_mean) || !std::isfinite(spec.word_rarity_std) || spec.word_rarity_std < 0.0) {
    return InvalidModel("the word rarity statistics must be finite, with std >= 0 (0: not shipped)");
  }
  return Status::Ok();
}

bool NeedsHidden(const PrepareOptions& options) {
  return options.outlier == OutlierKind::kHidden || options.outlier == OutlierKind::kHiddenTrain;
}

Status CheckPrepareOptions(const PrepareOptions& o, const ModelSpec& spec) {
  if (o.max_batch_size < 1 || o.max_batch_size > kMaxBatchSize) return InvalidArgument("max_batch_size must be in [1, 1024]");
  if (o.chunk_end_tokens.size() > kMaxStrings) return InvalidArgument("at most 100 chunk end tokens");
  if (o.word_score != WordScore::kMean && o.word_score != WordScore::kFirst) {
    return InvalidArgument("unknown word_score");
  }
  switch (o.outlier) {
    case OutlierKind::kNone:
    case OutlierKind::kHidden:
    case OutlierKind::kLexical:
    case OutlierKind::kHiddenTrain:
    case OutlierKind::kWordRarity:
    case OutlierKind::kWordRarityFirst:
      break;
    default:
      return InvalidArgument("unknown outlier kind");
  }
  for (size_t i = 0; i < o.chunk_end_tokens.size(); ++i) {
    const std::string& t = o.chunk_end_tokens[i];
    if (t.empty()) return InvalidArgument("chunk end token " + std::to_string(i) + " is empty");
    if (FindInvalidUtf8(t) != t.size()) return InvalidUtf8("chunk end token " + std::to_string(i) + " is not valid UTF-8");
  }
  if (NeedsHidden(o) && spec.hidden_size <= 0) {
    return InvalidArgument(std::string("outlier '") + OutlierName(o.outlier) +
                           "' needs a model with a hidden output (hidden_size > 0)");
  }
  if (o.outlier == OutlierKind::kHiddenTrain && spec.hidden_mean.empty()) {
    return InvalidArgument("outlier 'hidden-train' needs the model's hidden statistics (manifest hidden_stats)");
  }
  const bool word_rarity = o.outlier == OutlierKind::kWordRarity || o.outlier == OutlierKind::kWordRarityFirst;
  if ((o.outlier == OutlierKind::kLexical || word_rarity) && spec.neg_log_freq.empty()) {
    return InvalidArgument(std::string("outlier '") + OutlierName(o.outlier) +
                           "' needs the model's -log frequency table");
  }
  if (word_rarity && !(spec.word_rarity_std > 0.0)) {
    return InvalidArgument(std::string("outlier '") + OutlierName(o.outlier) +
                           "' needs the model's word statistics (manifest lexical.word_mean, lexical.word_std)");
  }
  return Status::Ok();
}

Status CheckSelectOptions(const SelectOptions& o, size_t contexts) {
  if (!std::isfinite(o.rate) || !(o.rate > 0.0 && o.rate <= 1.0)) {
    return InvalidArgument("rate must be in (0, 1], got " + std::to_string(o.rate));
  }
  if (o.threshold != -1.0 && !(o.threshold >= 0.0 && o.threshold <= 1.0)) {
    return InvalidArgument("threshold must be in [0, 1], or -1 for unset");
  }
  if (!std::isfinite(o.alpha) || o.alpha < 0.0 || o.alpha > 1.0) {
    return InvalidArgument("alpha must be in [0, 1], got " + std::to_string(o.alpha));
  }
  if (!std::isfinite(o.context_level_rate) || !(o.context_level_rate > 0.0 && o.context_level_rate <= 1.0)) {
    return InvalidArgument("context_level_rate must be in (0, 1]");
  }
  for (Status s : {CheckOptionalCount(o.target_tokens, "target_tokens"),
                   CheckOptionalCount(o.target_context, "target_context"),
                   CheckOptionalCount(o.context_level_target_token, "context_level_target_token")}) {
    if (!s.ok()) return s;
  }
  if (o.scope != BudgetScope::kWindow && o.scope != BudgetScope::kGlobal) return InvalidArgument("unknown scope");
  for (int id : o.force_context_ids) {
    if (id < 0 || static_cast<uint64_t>(id) >= contexts) {
      return InvalidArgument("force_context_ids has " + std::to_string(id) + ", outside the " +
                             std::to_string(contexts) + " contexts");
    }
  }
  return Status::Ok();
}

}  // namespace mooscomp
