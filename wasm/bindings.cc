// The embind surface of the core, exactly as wasm/API.md describes it.
//
// Every fallible call returns {ok: true, ...} or {ok: false, code, message}. Specs and options
// cross as embind value objects mapped onto the core's structs; the core validates them
// (LoadTokenizer, Compressor::Create, Prepare, Select). Arrays handed back to JS are always
// copies, never views of wasm memory (which moves when it grows).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mooscomp/compressor.h"
#include "mooscomp/status.h"
#include "mooscomp/target_tokens.h"
#include "mooscomp/tokenizer.h"

namespace mooscomp {

// The tokenizer kinds by name, beside the option enums' (mooscomp/options.h).
template <> struct EnumNames<TokenizerKind> { static constexpr const char* kNames[] = {"wordpiece", "sentencepiece"}; };

namespace {

using emscripten::val;

val Failure(const Status& status) {
  val out = val::object();
  out.set("ok", false);
  out.set("code", std::string(StatusCodeName(status.code())));
  out.set("message", status.message());
  return out;
}

val Success() {
  val out = val::object();
  out.set("ok", true);
  return out;
}

bool IsInstance(const val& value, const char* constructor) {
  const val type = val::global(constructor);
  return !type.isUndefined() && value.instanceof(type);
}

// A copy of `data` as a new JS typed array (slice() copies out of wasm memory).
template <typename T>
val CopyToJs(const std::vector<T>& data) {
  return val(emscripten::typed_memory_view(data.size(), data.data())).call<val>("slice");
}

// BigInt64Array copy: this Emscripten has no int64 memory views, so the bytes travel as
// pairs of int32 (wasm and JS typed arrays are both little-endian).
val CopyInt64ToJs(const std::vector<int64_t>& data) {
  val out = val::global("BigInt64Array").new_(data.size());
  const auto* halves = reinterpret_cast<const int32_t*>(data.data());
  val view(emscripten::typed_memory_view(2 * data.size(), halves));
  val::global("Int32Array").new_(out["buffer"]).call<void>("set", view);
  return out;
}

// Copies a JS typed array into `out`, whose element type must match the array's.
template <typename T>
void CopyFromJs(const val& array, std::vector<T>* out) {
  out->resize(array["length"].as<size_t>());
  // The view is made after resize: the allocation may have grown (moved) wasm memory.
  val(emscripten::typed_memory_view(out->size(), out->data())).call<void>("set", array);
}

// Value objects: every key must be present (embind throws a TypeError before the call when
// one is missing). PrepareOptions and SelectOptions: JS (js/src/options.js) validates against
// the option table and sends every value; the core checks them again. TokenizerSpec and
// ModelSpec: undefined keeps the core's default (its struct initialiser, the one place
// defaults live) and the core checks them. A value that arrives malformed becomes one the
// core's checks refuse (an unknown enum, an empty string, Int's minimum, NaN), never UB.

// Integral and in Int's range converts; anything else (a fraction, NaN, too large) becomes
// Int's minimum, which every core check refuses: no silent truncation.
template <typename Int>
Int ToInt(double d) {
  constexpr double kMin = static_cast<double>(std::numeric_limits<Int>::min());  // -2^(bits-1), exact
  if (!(d >= kMin && d < -kMin) || std::floor(d) != d) return std::numeric_limits<Int>::min();
  return static_cast<Int>(d);
}

template <typename S, typename T, T S::*field>
T Get(const S& s) { return s.*field; }

template <typename S, typename Int, Int S::*field>
double GetInt(const S& s) { return static_cast<double>(s.*field); }
template <typename S, typename Int, Int S::*field>
void SetInt(S& s, double d) { s.*field = ToInt<Int>(d); }

// Spec setters: undefined keeps the default.
template <typename S, typename Int, Int S::*field>
void SetSpecInt(S& s, val v) {
  if (!v.isUndefined()) s.*field = ToInt<Int>(v.isNumber() ? v.as<double>() : NAN);
}
template <typename S, double S::*field>
void SetSpecNumber(S& s, val v) {
  if (!v.isUndefined()) s.*field = v.isNumber() ? v.as<double>() : NAN;  // the core refuses non-finite
}
// A boolean is read as JS truthiness, as embind's own bool fields are. Bool: bool or
// std::optional<bool>.
template <typename S, typename Bool, Bool S::*field>
void SetSpecBool(S& s, val v) {
  if (!v.isUndefined()) s.*field = v.as<bool>();
}
template <typename S, std::optional<bool> S::*field>
val GetOptionalBool(const S& s) { return (s.*field).has_value() ? val(*(s.*field)) : val::undefined(); }
// Copied once, at load time. Anything but a Float32Array becomes a NaN table, which the core
// refuses (ModelSpec's tables must be finite).
template <typename S, std::vector<float> S::*field>
val GetFloats(const S& s) { return CopyToJs(s.*field); }
template <typename S, std::vector<float> S::*field>
void SetSpecFloats(S& s, val v) {
  if (v.isUndefined()) return;
  if (IsInstance(v, "Float32Array")) {
    CopyFromJs(v, &(s.*field));
  } else {
    s.*field = {NAN};
  }
}


template <typename S, typename Enum, Enum S::*field>
std::string GetEnum(const S& s) {
  const auto i = static_cast<size_t>(s.*field);
  return i < std::size(EnumNames<Enum>::kNames) ? EnumNames<Enum>::kNames[i] : "";
}
// Anything but one of the names (undefined included) is -1, an enum value the core refuses.
template <typename S, typename Enum, Enum S::*field>
void SetEnum(S& s, val name) {
  s.*field = static_cast<Enum>(-1);
  if (!name.isString()) return;
  const std::string given = name.as<std::string>();
  for (size_t i = 0; i < std::size(EnumNames<Enum>::kNames); ++i) {
    if (given == EnumNames<Enum>::kNames[i]) s.*field = static_cast<Enum>(i);
  }
}

template <typename S, std::vector<std::string> S::*field>
val GetStrings(const S& s) {
  val out = val::array();
  for (const std::string& t : s.*field) out.call<void>("push", t);
  return out;
}
template <typename S, std::vector<std::string> S::*field>
void SetStrings(S& s, val array) {
  std::vector<std::string>& out = s.*field;
  out.clear();
  const size_t n = array["length"].as<size_t>();
  for (size_t i = 0; i < n; ++i) {
    const val item = array[i];
    out.push_back(item.isString() ? item.as<std::string>() : std::string());
  }
}

template <typename S, std::string S::*field>
std::string GetText(const S& s) { return s.*field; }
// A non-string is a lone 0xFF byte, which the core refuses as not UTF-8 (JS checks first).
template <typename S, std::string S::*field>
void SetText(S& s, val v) { s.*field = v.isString() ? v.as<std::string>() : std::string("\xFF"); }

template <typename S, std::vector<int> S::*field>
val GetInts(const S& s) {
  val out = val::array();
  for (int v : s.*field) out.call<void>("push", v);
  return out;
}
// A non-number item is -1, a value the core refuses.
template <typename S, std::vector<int> S::*field>
void SetInts(S& s, val array) {
  std::vector<int>& out = s.*field;
  out.clear();
  const size_t n = array["length"].as<size_t>();
  for (size_t i = 0; i < n; ++i) {
    const val item = array[i];
    out.push_back(item.isNumber() ? ToInt<int>(item.as<double>()) : -1);
  }
}

#include "option_fields.inc"

class JobHandle {
 public:
  explicit JobHandle(std::unique_ptr<Job> job, int hidden_size)
      : job_(std::move(job)), hidden_size_(hidden_size) {}

  int batchCount() const { return static_cast<int>(job_->batches().size()); }
  bool needsHidden() const { return job_->needs_hidden(); }
  int batchRows(int i) const { return Valid(i) ? job_->batches()[i].rows : 0; }
  int batchSeqLen(int i) const { return Valid(i) ? job_->batches()[i].seq_len : 0; }

  val inputIds(int i) const {
    return CopyInt64ToJs(Valid(i) ? job_->batches()[i].input_ids : std::vector<int64_t>());
  }
  val attentionMask(int i) const {
    return CopyInt64ToJs(Valid(i) ? job_->batches()[i].attention_mask : std::vector<int64_t>());
  }

  val setLogits(int i, val values) { return SetOutput(i, values, 2, /*hidden=*/false); }

  val setHidden(int i, val values) {
    if (!job_->needs_hidden()) return Failure(InvalidState("this job does not use the hidden output"));
    return SetOutput(i, values, hidden_size_, /*hidden=*/true);
  }

  val score() {
    const Status status = job_->Score();
    return status.ok() ? Success() : Failure(status);
  }

  val wordSpans() const {
    std::vector<uint32_t> begin16, end16;
    std::vector<int32_t> context;
    const Status status = job_->WordSpans(&begin16, &end16, &context);
    if (!status.ok()) return Failure(status);
    val out = Success();
    out.set("begin16", CopyToJs(begin16));
    out.set("end16", CopyToJs(end16));
    out.set("context", CopyToJs(context));
    return out;
  }

  // contextTokens: Float64Array (exact integers), wordTokens: Uint32Array.
  val setTokenCounts(val context_tokens, val word_tokens) {
    if (!IsInstance(context_tokens, "Float64Array") || !IsInstance(word_tokens, "Uint32Array")) {
      return Failure(InvalidArgument("setTokenCounts: expected a Float64Array and a Uint32Array"));
    }
    std::vector<double> contexts;
    std::vector<uint32_t> words;
    CopyFromJs(context_tokens, &contexts);
    CopyFromJs(word_tokens, &words);
    std::vector<int64_t> counts;
    for (double d : contexts) {
      if (!(d >= 0.0 && d <= 9007199254740991.0) || std::floor(d) != d) {
        return Failure(InvalidArgument("setTokenCounts: context counts must be non-negative integers"));
      }
      counts.push_back(static_cast<int64_t>(d));
    }
    const Status status = job_->SetTokenCounts(std::move(counts), std::move(words));
    return status.ok() ? Success() : Failure(status);
  }

  val select(const SelectOptions& options) {
    Result<CompressResult> result = job_->Select(options);
    if (!result.ok()) return Failure(result.status());
    val out = Success();
    out.set("result", ToJs(result.value()));
    return out;
  }

 private:
  bool Valid(int i) const { return i >= 0 && i < batchCount(); }

  val SetOutput(int i, const val& values, int per_cell, bool hidden) {
    const char* what = hidden ? "setHidden" : "setLogits";
    if (!Valid(i)) return Failure(InvalidArgument(std::string(what) + ": no batch " + std::to_string(i)));
    if (!IsInstance(values, "Float32Array")) {
      return Failure(InvalidArgument(std::string(what) + ": expected a Float32Array"));
    }
    Batch& batch = job_->batches()[i];
    const double expected = static_cast<double>(batch.rows) * batch.seq_len * per_cell;
    const double length = values["length"].as<double>();
    if (length != expected) {
      return Failure(InvalidArgument(std::string(what) + ": expected " +
                                     std::to_string(static_cast<int64_t>(expected)) +
                                     " floats, got " + std::to_string(static_cast<int64_t>(length))));
    }
    CopyFromJs(values, hidden ? &batch.hidden : &batch.logits);
    return Success();
  }

  static val ToJs(const CompressResult& r) {
    val out = val::object();
    out.set("compressedPrompt", r.compressed_prompt);
    val list = val::array();
    for (const auto& s : r.compressed_prompt_list) list.call<void>("push", s);
    out.set("compressedPromptList", list);
    out.set("originTokens", static_cast<double>(r.origin_tokens));
    out.set("compressedTokens", static_cast<double>(r.compressed_tokens));
    out.set("protectedTokens", static_cast<double>(r.protected_tokens));
    out.set("questionTokens", static_cast<double>(r.question_tokens));
    out.set("modelTokens", static_cast<double>(r.model_tokens));
    out.set("windows", r.windows);
    out.set("contextKept", CopyToJs(r.context_kept));
    out.set("contextOrder", CopyToJs(r.context_order));
    out.set("contextRelevance", CopyToJs(r.context_relevance));

    const size_t n = r.words.size();
    std::vector<uint32_t> begin16(n), end16(n);
    std::vector<int32_t> context(n);
    std::vector<uint8_t> keep(n), forced(n);
    std::vector<float> score(n);
    for (size_t k = 0; k < n; ++k) {
      const Word& w = r.words[k];
      begin16[k] = w.begin16, end16[k] = w.end16, context[k] = w.context;
      keep[k] = w.keep ? 1 : 0, forced[k] = w.forced ? 1 : 0, score[k] = w.score;
    }
    val words = val::object();
    words.set("begin16", CopyToJs(begin16));
    words.set("end16", CopyToJs(end16));
    words.set("context", CopyToJs(context));
    words.set("keep", CopyToJs(keep));
    words.set("forced", CopyToJs(forced));
    words.set("score", CopyToJs(score));
    out.set("words", words);
    return out;
  }

  std::unique_ptr<Job> job_;
  int hidden_size_;
};

class CompressorHandle {
 public:
  explicit CompressorHandle(Compressor compressor) : compressor_(std::move(compressor)) {}

  // One selection to come, with `select` (see Compressor::Prepare).
  val prepare(val text_bytes, val context_lengths, const PrepareOptions& prepare, const SelectOptions& select) const {
    CompressOptions options;
    static_cast<PrepareOptions&>(options) = prepare;
    static_cast<SelectOptions&>(options) = select;
    return PrepareJob(text_bytes, context_lengths, options);
  }

  // Any number of selections to come.
  val analyze(val text_bytes, val context_lengths, const PrepareOptions& prepare) const {
    return PrepareJob(text_bytes, context_lengths, prepare);
  }

  // The outlier readings the model can serve, by name (Compressor::supported_outliers).
  val supportedOutliers() const {
    val out = val::array();
    for (OutlierKind kind : compressor_.supported_outliers()) {
      out.call<void>("push", std::string(EnumNames<OutlierKind>::kNames[static_cast<size_t>(kind)]));
    }
    return out;
  }

 private:
  template <typename Options>
  val PrepareJob(const val& text_bytes, const val& context_lengths, const Options& options) const {
    if (!IsInstance(text_bytes, "Uint8Array")) {
      return Failure(InvalidArgument("prepare: text must be a Uint8Array"));
    }
    if (!IsInstance(context_lengths, "Uint32Array")) {
      return Failure(InvalidArgument("prepare: context lengths must be a Uint32Array"));
    }
    std::vector<uint32_t> lengths;
    CopyFromJs(context_lengths, &lengths);
    // Each context is copied from JS straight into its own string: no whole-text copy beside
    // them (the wasm heap never shrinks, so a second copy would stay as peak memory).
    const size_t total = text_bytes["length"].as<size_t>();
    std::vector<std::string> contexts;
    contexts.reserve(lengths.size());
    size_t offset = 0;
    for (uint32_t length : lengths) {
      if (length > total - offset) {
        return Failure(InvalidArgument("prepare: context lengths exceed the text"));
      }
      std::string& context = contexts.emplace_back(length, '\0');
      // The view is made after the allocation, which may have grown (moved) wasm memory.
      val(emscripten::typed_memory_view(context.size(), reinterpret_cast<uint8_t*>(context.data())))
          .call<void>("set", text_bytes.call<val>("subarray", static_cast<double>(offset), static_cast<double>(offset + length)));
      offset += length;
    }
    if (offset != total) {
      return Failure(InvalidArgument("prepare: context lengths do not add up to the text"));
    }

    Result<std::unique_ptr<Job>> job = compressor_.Prepare(contexts, options);
    if (!job.ok()) return Failure(job.status());
    val out = Success();
    out.set("job", val(std::make_unique<JobHandle>(std::move(job).value(), compressor_.spec().hidden_size)));
    return out;
  }

  Compressor compressor_;
};

val createCompressor(val tokenizer_bytes, const TokenizerSpec& tokenizer_spec, ModelSpec model_spec) {
  if (!IsInstance(tokenizer_bytes, "Uint8Array")) {
    return Failure(InvalidArgument("createCompressor: tokenizer bytes must be a Uint8Array"));
  }
  std::vector<uint8_t> bytes;
  CopyFromJs(tokenizer_bytes, &bytes);
  const std::string_view model(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  Result<std::unique_ptr<Tokenizer>> tokenizer = LoadTokenizer(model, tokenizer_spec);
  if (!tokenizer.ok()) return Failure(tokenizer.status());
  Result<Compressor> compressor = Compressor::Create(std::move(tokenizer).value(), std::move(model_spec));
  if (!compressor.ok()) return Failure(compressor.status());
  val out = Success();
  out.set("compressor", val(std::make_unique<CompressorHandle>(std::move(compressor).value())));
  return out;
}

// embind hands a JS string over as UTF-8. A double: counts can pass 2^31.
double estimateTargetTokens(const std::string& text) { return static_cast<double>(EstimateTargetTokens(text)); }

}  // namespace
}  // namespace mooscomp

EMSCRIPTEN_BINDINGS(mooscomp_core) {
  using namespace mooscomp;
  using W = WordPieceOptions;
  using SP = SentencePieceOptions;
  using T = TokenizerSpec;
  using M = ModelSpec;
  emscripten::value_object<W>("WordPieceOptions")
      .field("lowercase", &Get<W, bool, &W::lowercase>, &SetSpecBool<W, bool, &W::lowercase>)
      .field("stripAccents", &GetOptionalBool<W, &W::strip_accents>,
             &SetSpecBool<W, std::optional<bool>, &W::strip_accents>)
      .field("tokenizeChineseChars", &Get<W, bool, &W::tokenize_chinese_chars>,
             &SetSpecBool<W, bool, &W::tokenize_chinese_chars>);
  emscripten::value_object<SP>("SentencePieceOptions")
      .field("fairseqOffset", &Get<SP, bool, &SP::fairseq_offset>, &SetSpecBool<SP, bool, &SP::fairseq_offset>);
  emscripten::value_object<T>("TokenizerSpec")
      .field("kind", &GetEnum<T, TokenizerKind, &T::kind>, &SetEnum<T, TokenizerKind, &T::kind>)
      .field("wordpiece", &T::wordpiece)
      .field("sentencepiece", &T::sentencepiece);
  emscripten::value_object<M>("ModelSpec")
      .field("maxSeqLen", &GetInt<M, int, &M::max_seq_len>, &SetSpecInt<M, int, &M::max_seq_len>)
      .field("preserveLabel", &GetInt<M, int, &M::preserve_label>, &SetSpecInt<M, int, &M::preserve_label>)
      .field("hiddenSize", &GetInt<M, int, &M::hidden_size>, &SetSpecInt<M, int, &M::hidden_size>)
      .field("negLogFreq", &GetFloats<M, &M::neg_log_freq>, &SetSpecFloats<M, &M::neg_log_freq>)
      .field("hiddenMean", &GetFloats<M, &M::hidden_mean>, &SetSpecFloats<M, &M::hidden_mean>)
      .field("hiddenStd", &GetFloats<M, &M::hidden_std>, &SetSpecFloats<M, &M::hidden_std>)
      .field("hiddenScoreMean", &Get<M, double, &M::hidden_score_mean>, &SetSpecNumber<M, &M::hidden_score_mean>)
      .field("hiddenScoreStd", &Get<M, double, &M::hidden_score_std>, &SetSpecNumber<M, &M::hidden_score_std>)
      .field("wordRarityMean", &Get<M, double, &M::word_rarity_mean>, &SetSpecNumber<M, &M::word_rarity_mean>)
      .field("wordRarityStd", &Get<M, double, &M::word_rarity_std>, &SetSpecNumber<M, &M::word_rarity_std>);
  RegisterOptionTypes();
  emscripten::class_<JobHandle>("Job")
      .function("batchCount", &JobHandle::batchCount)
      .function("needsHidden", &JobHandle::needsHidden)
      .function("batchRows", &JobHandle::batchRows)
      .function("batchSeqLen", &JobHandle::batchSeqLen)
      .function("inputIds", &JobHandle::inputIds)
      .function("attentionMask", &JobHandle::attentionMask)
      .function("setLogits", &JobHandle::setLogits)
      .function("setHidden", &JobHandle::setHidden)
      .function("score", &JobHandle::score)
      .function("wordSpans", &JobHandle::wordSpans)
      .function("setTokenCounts", &JobHandle::setTokenCounts)
      .function("select", &JobHandle::select);
  emscripten::class_<CompressorHandle>("Compressor")
      .function("prepare", &CompressorHandle::prepare)
      .function("analyze", &CompressorHandle::analyze)
      .function("supportedOutliers", &CompressorHandle::supportedOutliers);
  emscripten::function("createCompressor", &mooscomp::createCompressor);
  emscripten::function("estimateTargetTokens", &mooscomp::estimateTargetTokens);
}
