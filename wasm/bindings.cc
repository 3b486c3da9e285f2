// The embind surface of the core, exactly as wasm/API.md describes it.
//
// Every fallible call returns {ok: true, ...} or {ok: false, code, message} and never throws:
// option objects are read field by field with their JS types checked here, because embind
// would otherwise coerce or throw untyped errors. Arrays handed back to JS are always copies,
// never views of wasm memory (which moves when it grows).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <cstdint>
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

Status ReadPrepareOptions(const val& js, PrepareOptions* o) {
  Status status = CheckOptionsObject(js);
  if (!status.ok()) return status;
  OptionReader r(OptionsObject(js));
  r.Strings("forceTokens", &o->force_tokens);
  r.Strings("chunkEndTokens", &o->chunk_end_tokens);
  r.Choice("wordScore", &o->word_score, {"mean", "first"});
  r.Choice("outlier", &o->outlier,
           {"none", "hidden", "lexical", "hidden-train", "word-rarity", "word-rarity-first"});
  r.Integer("maxBatchSize", &o->max_batch_size, -2147483648.0, 2147483647.0);
  return r.status();
}

Status ReadSelectOptions(const val& js, SelectOptions* o) {
  Status status = CheckOptionsObject(js);
  if (!status.ok()) return status;
  OptionReader r(OptionsObject(js));
  r.Number("rate", &o->rate);
  r.Integer("targetTokens", &o->target_tokens, -9007199254740991.0, 9007199254740991.0);
  r.Number("threshold", &o->threshold);
  r.Choice("scope", &o->scope, {"window", "global"});
  r.Bool("forceReserveDigit", &o->force_reserve_digit);
  r.Bool("dropConsecutive", &o->drop_consecutive);
  r.Number("alpha", &o->alpha);
  r.Bool("useContextLevelFilter", &o->use_context_level_filter);
  r.Bool("useTokenLevelFilter", &o->use_token_level_filter);
  r.Integer("targetContext", &o->target_context, -2147483648.0, 2147483647.0);
  r.Number("contextLevelRate", &o->context_level_rate);
  r.Integer("contextLevelTargetToken", &o->context_level_target_token, -9007199254740991.0,
            9007199254740991.0);
  r.Integers("forceContextIds", &o->force_context_ids);
  return r.status();
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

  val select(val options) {
    SelectOptions select_options;
    const Status status = ReadSelectOptions(options, &select_options);
    if (!status.ok()) return Failure(status);
    Result<CompressResult> result = job_->Select(select_options);
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

  // One selection to come: all of CompressOptions (see Compressor::Prepare).
  val prepare(val text_bytes, val context_lengths, val options) const {
    CompressOptions compress_options;
    Status status = ReadPrepareOptions(options, &compress_options);
    if (status.ok()) status = ReadSelectOptions(options, &compress_options);
    if (!status.ok()) return Failure(status);
    return PrepareJob(text_bytes, context_lengths, compress_options);
  }

  // Any number of selections to come: PrepareOptions only.
  val analyze(val text_bytes, val context_lengths, val options) const {
    PrepareOptions prepare_options;
    const Status status = ReadPrepareOptions(options, &prepare_options);
    if (!status.ok()) return Failure(status);
    return PrepareJob(text_bytes, context_lengths, prepare_options);
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
  using mooscomp::CompressorHandle;
  using mooscomp::JobHandle;
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
      .function("select", &JobHandle::select);
  emscripten::class_<CompressorHandle>("Compressor")
      .function("prepare", &CompressorHandle::prepare)
      .function("analyze", &CompressorHandle::analyze);
  emscripten::function("createCompressor", &mooscomp::createCompressor);
  emscripten::function("estimateTargetTokens", &mooscomp::estimateTargetTokens);
}
