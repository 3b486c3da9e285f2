// The embind surface of the core, exactly as wasm/API.md describes it.
//
// Every fallible call returns {ok: true, ...} or {ok: false, code, message}: createCompressor's
// options are read field by field with their JS types checked here; compress options arrive
// as value objects, complete and validated by js/src/options.js. Arrays handed back to JS are always copies,
// never views of wasm memory (which moves when it grows).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "mooscomp/compressor.h"
#include "mooscomp/status.h"
#include "mooscomp/target_tokens.h"
#include "mooscomp/tokenizer.h"

namespace mooscomp {
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

// Reads optional fields of a JS options object; absent (undefined) keeps the default.
class OptionReader {
 public:
  explicit OptionReader(val object) : object_(std::move(object)) {}

  const Status& status() const { return status_; }

  void Number(const char* name, double* out) {
    const val v = Field(name);
    if (v.isUndefined()) return;
    if (!IsNumber(v)) return Fail(name, "must be a finite number");
    *out = v.as<double>();
  }

  template <typename Int>
  void Integer(const char* name, Int* out, double min, double max) {
    const val v = Field(name);
    if (v.isUndefined()) return;
    if (!IsNumber(v)) return Fail(name, "must be an integer");
    const double d = v.as<double>();
    if (std::floor(d) != d || d < min || d > max) return Fail(name, "must be an integer in range");
    *out = static_cast<Int>(d);
  }

  void Bool(const char* name, bool* out) {
    const val v = Field(name);
    if (v.isUndefined()) return;
    if (!v.isTrue() && !v.isFalse()) return Fail(name, "must be a boolean");
    *out = v.isTrue();
  }

  // One of `choices` (JS strings), stored as its index.
  template <typename Enum>
  void Choice(const char* name, Enum* out, std::initializer_list<const char*> choices) {
    const val v = Field(name);
    if (v.isUndefined()) return;
    if (!v.isString()) return Fail(name, "must be a string");
    const std::string s = v.as<std::string>();
    int index = 0;
    for (const char* choice : choices) {
      if (s == choice) {
        *out = static_cast<Enum>(index);
        return;
      }
      ++index;
    }
    Fail(name, "has an unknown value '" + s + "'");
  }

  void Strings(const char* name, std::vector<std::string>* out) {
    const val v = Field(name);
    if (v.isUndefined()) return;
    if (!val::global("Array").call<bool>("isArray", v)) return Fail(name, "must be an array of strings");
    const size_t n = v["length"].as<size_t>();
    std::vector<std::string> strings;
    strings.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      const val item = v[i];
      if (!item.isString()) return Fail(name, "must be an array of strings");
      strings.push_back(item.as<std::string>());
    }
    *out = std::move(strings);
  }

  void Integers(const char* name, std::vector<int>* out) {
    const val v = Field(name);
    if (v.isUndefined()) return;
    if (!val::global("Array").call<bool>("isArray", v)) return Fail(name, "must be an array of integers");
    const size_t n = v["length"].as<size_t>();
    std::vector<int> ints;
    ints.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      const val item = v[i];
      const double d = IsNumber(item) ? item.as<double>() : 0.5;
      if (std::floor(d) != d || d < -2147483648.0 || d > 2147483647.0) {
        return Fail(name, "must be an array of integers");
      }
      ints.push_back(static_cast<int>(d));
    }
    *out = std::move(ints);
  }

  void Float32Array(const char* name, std::vector<float>* out) {
    const val v = Field(name);
    if (v.isUndefined()) return;
    if (!IsInstance(v, "Float32Array")) return Fail(name, "must be a Float32Array");
    CopyFromJs(v, out);
  }

 private:
  static bool IsNumber(const val& v) {
    return v.isNumber() && val::global("Number").call<bool>("isFinite", v);
  }

  val Field(const char* name) {
    if (!status_.ok()) return val::undefined();  // report the first problem only
    return object_[name];
  }

  void Fail(const char* name, const std::string& what) {
    if (status_.ok()) status_ = InvalidArgument(std::string("option '") + name + "' " + what);
  }

  val object_;
  Status status_;
};

// undefined and null mean "all defaults"; anything else must be a plain object.
Status CheckOptionsObject(const val& options) {
  if (options.isUndefined() || options.isNull()) return Status::Ok();
  if (options.typeOf().as<std::string>() != "object" ||
      val::global("Array").call<bool>("isArray", options)) {
    return InvalidArgument("options must be an object");
  }
  return Status::Ok();
}

val OptionsObject(const val& options) {
  return options.isUndefined() || options.isNull() ? val::object() : options;
}

// PrepareOptions and SelectOptions cross as embind value objects: JS (js/src/options.js)
// validates against the option table and sends every field; the core checks them again
// (Compressor::Prepare, Job::Select). A field that still arrives malformed becomes a value
// the core's check refuses (an unknown enum, an empty string, a negative id), never UB.

template <typename Int>
Int Saturate(double d) {
  if (!(d >= static_cast<double>(std::numeric_limits<Int>::min()))) return std::numeric_limits<Int>::min();
  if (d >= static_cast<double>(std::numeric_limits<Int>::max())) return std::numeric_limits<Int>::max();
  return static_cast<Int>(d);
}

template <typename S, typename Int, Int S::*field>
double GetInt(const S& s) { return static_cast<double>(s.*field); }
template <typename S, typename Int, Int S::*field>
void SetInt(S& s, double d) { s.*field = Saturate<Int>(d); }

template <typename Enum>
struct EnumNames;
template <> struct EnumNames<OutlierKind> {
  static constexpr const char* kNames[] = {"none", "hidden", "lexical", "hidden-train", "word-rarity", "word-rarity-first"};
};
template <> struct EnumNames<WordScore> { static constexpr const char* kNames[] = {"mean", "first"}; };
template <> struct EnumNames<BudgetScope> { static constexpr const char* kNames[] = {"window", "global"}; };

template <typename S, typename Enum, Enum S::*field>
std::string GetEnum(const S& s) {
  const auto i = static_cast<size_t>(s.*field);
  return i < std::size(EnumNames<Enum>::kNames) ? EnumNames<Enum>::kNames[i] : "";
}
template <typename S, typename Enum, Enum S::*field>
void SetEnum(S& s, std::string name) {
  s.*field = static_cast<Enum>(-1);
  for (size_t i = 0; i < std::size(EnumNames<Enum>::kNames); ++i) {
    if (name == EnumNames<Enum>::kNames[i]) s.*field = static_cast<Enum>(i);
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

val GetIds(const SelectOptions& s) {
  val out = val::array();
  for (int id : s.force_context_ids) out.call<void>("push", id);
  return out;
}
void SetIds(SelectOptions& s, val array) {
  s.force_context_ids.clear();
  const size_t n = array["length"].as<size_t>();
  for (size_t i = 0; i < n; ++i) {
    const val item = array[i];
    s.force_context_ids.push_back(item.isNumber() ? Saturate<int>(item.as<double>()) : -1);
  }
}

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
    out.set("modelTokens", static_cast<double>(r.model_tokens));
    out.set("windows", r.windows);
    out.set("contextKept", CopyToJs(r.context_kept));

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

 private:
  template <typename Options>
  val PrepareJob(const val& text_bytes, const val& context_lengths, const Options& options) const {
    if (!IsInstance(text_bytes, "Uint8Array")) {
      return Failure(InvalidArgument("prepare: text must be a Uint8Array"));
    }
    if (!IsInstance(context_lengths, "Uint32Array")) {
      return Failure(InvalidArgument("prepare: context lengths must be a Uint32Array"));
    }
    std::vector<uint8_t> bytes;
    std::vector<uint32_t> lengths;
    CopyFromJs(text_bytes, &bytes);
    CopyFromJs(context_lengths, &lengths);
    std::vector<std::string> contexts;
    contexts.reserve(lengths.size());
    size_t offset = 0;
    for (uint32_t length : lengths) {
      if (length > bytes.size() - offset) {
        return Failure(InvalidArgument("prepare: context lengths exceed the text"));
      }
      contexts.emplace_back(reinterpret_cast<const char*>(bytes.data()) + offset, length);
      offset += length;
    }
    if (offset != bytes.size()) {
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

val createCompressor(val tokenizer_bytes, val options) {
  if (!IsInstance(tokenizer_bytes, "Uint8Array")) {
    return Failure(InvalidArgument("createCompressor: tokenizer bytes must be a Uint8Array"));
  }
  Status status = CheckOptionsObject(options);
  if (!status.ok()) return Failure(status);
  OptionReader r(OptionsObject(options));

  enum class Kind { kWordPiece, kSentencePiece } kind = Kind::kWordPiece;
  const bool has_kind = !OptionsObject(options)["tokenizer"].isUndefined();
  r.Choice("tokenizer", &kind, {"wordpiece", "sentencepiece"});
  WordPieceOptions wordpiece;
  r.Bool("lowercase", &wordpiece.lowercase);
  bool strip_accents = wordpiece.lowercase;  // follows lowercase unless given
  r.Bool("stripAccents", &strip_accents);
  wordpiece.strip_accents = strip_accents;
  r.Bool("tokenizeChineseChars", &wordpiece.tokenize_chinese_chars);
  SentencePieceOptions sentencepiece;
  r.Bool("fairseqOffset", &sentencepiece.fairseq_offset);
  ModelSpec spec;
  r.Integer("maxSeqLen", &spec.max_seq_len, -2147483648.0, 2147483647.0);
  r.Integer("preserveLabel", &spec.preserve_label, -2147483648.0, 2147483647.0);
  r.Integer("hiddenSize", &spec.hidden_size, -2147483648.0, 2147483647.0);
  r.Float32Array("negLogFreq", &spec.neg_log_freq);
  r.Float32Array("hiddenMean", &spec.hidden_mean);
  r.Float32Array("hiddenStd", &spec.hidden_std);
  r.Number("hiddenScoreMean", &spec.hidden_score_mean);
  r.Number("hiddenScoreStd", &spec.hidden_score_std);
  r.Number("wordRarityMean", &spec.word_rarity_mean);
  r.Number("wordRarityStd", &spec.word_rarity_std);
  if (!r.status().ok()) return Failure(r.status());
  if (!has_kind) return Failure(InvalidArgument("option 'tokenizer' is required"));

  std::vector<uint8_t> bytes;
  CopyFromJs(tokenizer_bytes, &bytes);
  const std::string_view model(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  Result<std::unique_ptr<Tokenizer>> tokenizer = kind == Kind::kSentencePiece
                                                     ? LoadSentencePiece(model, sentencepiece)
                                                     : LoadWordPiece(model, wordpiece);
  if (!tokenizer.ok()) return Failure(tokenizer.status());

  Result<Compressor> compressor = Compressor::Create(std::move(tokenizer).value(), std::move(spec));
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
  using P = PrepareOptions;
  using S = SelectOptions;
  emscripten::value_object<P>("PrepareOptions")
      .field("forceTokens", &GetStrings<P, &P::force_tokens>, &SetStrings<P, &P::force_tokens>)
      .field("chunkEndTokens", &GetStrings<P, &P::chunk_end_tokens>, &SetStrings<P, &P::chunk_end_tokens>)
      .field("wordScore", &GetEnum<P, WordScore, &P::word_score>, &SetEnum<P, WordScore, &P::word_score>)
      .field("outlier", &GetEnum<P, OutlierKind, &P::outlier>, &SetEnum<P, OutlierKind, &P::outlier>)
      .field("maxBatchSize", &GetInt<P, int, &P::max_batch_size>, &SetInt<P, int, &P::max_batch_size>);
  emscripten::value_object<S>("SelectOptions")
      .field("rate", &S::rate)
      .field("targetTokens", &GetInt<S, int64_t, &S::target_tokens>, &SetInt<S, int64_t, &S::target_tokens>)
      .field("threshold", &S::threshold)
      .field("scope", &GetEnum<S, BudgetScope, &S::scope>, &SetEnum<S, BudgetScope, &S::scope>)
      .field("forceReserveDigit", &S::force_reserve_digit)
      .field("dropConsecutive", &S::drop_consecutive)
      .field("alpha", &S::alpha)
      .field("useContextLevelFilter", &S::use_context_level_filter)
      .field("useTokenLevelFilter", &S::use_token_level_filter)
      .field("targetContext", &GetInt<S, int64_t, &S::target_context>, &SetInt<S, int64_t, &S::target_context>)
      .field("contextLevelRate", &S::context_level_rate)
      .field("contextLevelTargetToken", &GetInt<S, int64_t, &S::context_level_target_token>,
             &SetInt<S, int64_t, &S::context_level_target_token>)
      .field("forceContextIds", &GetIds, &SetIds);
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
      .function("analyze", &CompressorHandle::analyze);
  emscripten::function("createCompressor", &mooscomp::createCompressor);
  emscripten::function("estimateTargetTokens", &mooscomp::estimateTargetTokens);
}
