#include "options_check.h"

#include <cmath>
#include <iterator>
#include <string>
#include <vector>

#include "option_ranges.h"
#include "utf8.h"

namespace mooscomp {
namespace {

using option_ranges::Range;

std::string FormatNumber(double x) {
  std::string s = std::to_string(x);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// The range as the docs write it: "(0, 1]", "[1, 2147483647], or -1 for unset".
Status OutOfRange(const Range& r, double value) {
  return InvalidArgument(std::string(r.name) + " must be in " + (r.min_open ? "(" : "[") + FormatNumber(r.min) + ", " +
                         FormatNumber(r.max) + "]" + (r.has_unset ? ", or " + FormatNumber(r.unset) + " for unset" : "") +
                         ", got " + FormatNumber(value));
}

Status CheckRange(double value, const Range& r) {
  if (r.has_unset && value == r.unset) return Status::Ok();
  const bool above_min = r.min_open ? value > r.min : value >= r.min;
  if (!std::isfinite(value) || !above_min || !(value <= r.max)) return OutOfRange(r, value);
  return Status::Ok();
}

template <typename Options, typename T, size_t N>
Status CheckRanges(const Options& o, const option_ranges::NumberField<Options, T> (&fields)[N]) {
  for (const auto& f : fields) {
    MOOSCOMP_RETURN_IF_ERROR(CheckRange(static_cast<double>(o.*(f.field)), f.range));
  }
  return Status::Ok();
}

template <typename Enum>
Status CheckEnum(Enum value, const char* name) {
  const auto i = static_cast<size_t>(value);
  if (i >= std::size(EnumNames<Enum>::kNames)) return InvalidArgument(std::string("unknown ") + name);
  return Status::Ok();
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

Status CheckOutlierSupport(OutlierKind kind, const ModelSpec& spec) {
  MOOSCOMP_RETURN_IF_ERROR(CheckEnum(kind, "outlier kind"));
  const std::string name = std::string("outlier '") + EnumNames<OutlierKind>::kNames[static_cast<size_t>(kind)] + "'";
  const bool word_rarity = kind == OutlierKind::kWordRarity || kind == OutlierKind::kWordRarityFirst;
  if ((kind == OutlierKind::kHidden || kind == OutlierKind::kHiddenTrain) && spec.hidden_size <= 0) {
    return InvalidArgument(name + " needs a model with a hidden output (hidden_size > 0)");
  }
  if (kind == OutlierKind::kHiddenTrain && spec.hidden_mean.empty()) {
    return InvalidArgument(name + " needs the model's hidden statistics (manifest hidden_stats)");
  }
  if ((kind == OutlierKind::kLexical || word_rarity) && spec.neg_log_freq.empty()) {
    return InvalidArgument(name + " needs the model's -log frequency table");
  }
  if (word_rarity && !(spec.word_rarity_std > 0.0)) {
    return InvalidArgument(name + " needs the model's word statistics (manifest lexical.word_mean, lexical.word_std)");
  }
  return Status::Ok();
}

std::vector<OutlierKind> SupportedOutliers(const ModelSpec& spec) {
  std::vector<OutlierKind> out;
  for (size_t i = 0; i < std::size(EnumNames<OutlierKind>::kNames); ++i) {
    const auto kind = static_cast<OutlierKind>(i);
    if (CheckOutlierSupport(kind, spec).ok()) out.push_back(kind);
  }
  return out;
}

Status CheckPrepareOptions(const PrepareOptions& o, const ModelSpec& spec) {
  MOOSCOMP_RETURN_IF_ERROR(CheckRanges(o, option_ranges::kPrepareInts));
  for (const auto& f : option_ranges::kPrepareStrings) {
    const std::vector<std::string>& tokens = o.*(f.field);
    if (tokens.size() > f.max_count) {
      return InvalidArgument(std::string(f.name) + " has " + std::to_string(tokens.size()) + " strings, at most " +
                             std::to_string(f.max_count));
    }
  }
  for (const auto& f : option_ranges::kPrepareTexts) {
    const std::string& text = o.*(f.field);
    if (text.size() > f.max_bytes) return InvalidArgument(std::string(f.name) + " is longer than " + std::to_string(f.max_bytes) + " bytes");
    const size_t bad = FindInvalidUtf8(text);
    if (bad != text.size()) return InvalidUtf8(std::string(f.name) + " is not valid UTF-8 at byte " + std::to_string(bad));
  }
  MOOSCOMP_RETURN_IF_ERROR(CheckEnum(o.word_score, "word_score"));
  for (size_t i = 0; i < o.chunk_end_tokens.size(); ++i) {
    const std::string& t = o.chunk_end_tokens[i];
    if (t.empty()) return InvalidArgument("chunk end token " + std::to_string(i) + " is empty");
    if (FindInvalidUtf8(t) != t.size()) return InvalidUtf8("chunk end token " + std::to_string(i) + " is not valid UTF-8");
  }
  return CheckOutlierSupport(o.outlier, spec);
}

Status CheckSelectOptions(const SelectOptions& o, size_t contexts) {
  MOOSCOMP_RETURN_IF_ERROR(CheckRanges(o, option_ranges::kSelectNumbers));
  MOOSCOMP_RETURN_IF_ERROR(CheckRanges(o, option_ranges::kSelectCounts));
  MOOSCOMP_RETURN_IF_ERROR(CheckEnum(o.scope, "scope"));
  MOOSCOMP_RETURN_IF_ERROR(CheckEnum(o.reorder, "reorder"));
  for (int id : o.force_context_ids) {
    if (id < 0 || static_cast<uint64_t>(id) >= contexts) {
      return InvalidArgument("force_context_ids has " + std::to_string(id) + ", outside the " +
                             std::to_string(contexts) + " contexts");
    }
  }
  return Status::Ok();
}

}  // namespace mooscomp
