// The compressor facade: one call before inference (Prepare), then, after it, any number
// of selections (Job::Select) from the one set of model outputs. The core never runs the
// model itself; the caller (JS with onnxruntime-web, or a test) runs every Batch and writes
// its outputs back before calling Score or Select.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mooscomp/status.h"
#include "mooscomp/tokenizer.h"

namespace mooscomp {

// kHidden, kLexical: statistics of the window itself (min-max normalised per window).
// kHiddenTrain, kWordRarity: rarity against the training distribution (ModelSpec's statistics),
// logistic-normalised; kWordRarityFirst is kWordRarity with later mentions of a word discounted.
enum class OutlierKind { kNone, kHidden, kLexical, kHiddenTrain, kWordRarity, kWordRarityFirst };
enum class WordScore { kMean, kFirst };
enum class BudgetScope { kWindow, kGlobal };

// What the core needs to know about the model (read from manifest.json by the caller);
// Compressor::Create checks it.
struct ModelSpec {
  int max_seq_len = 512;     // including the two special tokens
  int preserve_label = 1;    // index of "preserve" in the 2-way logits
  int hidden_size = 0;       // 0 when the model has no `hidden` output
  // -log unigram frequency per model token id (finite), for the lexical outlier score; may be empty.
  std::vector<float> neg_log_freq;
  // For kHiddenTrain, over the tokens of training text (empty when not shipped): per-dimension
  // mean and std of the hidden output (hidden_size each), and the mean and std (> 0) of the
  // raw score s = mean_d |(h_d - mean_d) / (std_d + eps)|.
  std::vector<float> hidden_mean, hidden_std;
  double hidden_score_mean = 0.0, hidden_score_std = 0.0;
  // For kWordRarity, over the words of training text: mean and std (> 0; 0 = not shipped) of
  // a word's summed neg_log_freq.
  double word_rarity_mean = 0.0, word_rarity_std = 0.0;
};

// What shapes the model's work: fixed when a job is prepared.
struct PrepareOptions {
  std::vector<std::string> force_tokens;                     // at most 100, non-empty
  std::vector<std::string> chunk_end_tokens = {".", "\n"};  // at most 100, non-empty
  WordScore word_score = WordScore::kMean;
  // The outlier reading computed once the model's outputs are in (alpha, a select option,
  // decides how much of it is used).
  OutlierKind outlier = OutlierKind::kNone;
  // Windows per Batch. 1 by default: on onnxruntime-web's CPU backend batching does not run
  // faster (rows pad to the longest), and ORT's heap grows with rows x seq^2 attention
  // scores (bench/: 10k tokens, 4x256 int8, 33 MB at 1 row vs 122 MB at 8). [1, 1024].
  int max_batch_size = 1;
  // Markup kept well-formed (core/src/structure_marks.h): fence lines, inline code and table
  // pipes are forced words; heading, list, quote and key markers are kept with their line;
  // a link "[text](url)" is kept or dropped whole.
  bool keep_structure = true;  // (always-kept marks are outside the budget: protected_tokens)
};

// What picks the words from a scored job: any number of selections per job.
struct SelectOptions {
  // Budget, in order of precedence: threshold, target_tokens, rate. -1 is "unset" (the
  // only value outside a range accepted); the ranges are js/src/option-table.js's.
  double rate = 0.5;                 // fraction of target-LLM tokens to keep, (0, 1]
  int64_t target_tokens = -1;        // [1, 2^31 - 1]
  double threshold = -1.0;           // keep words whose fused score is above it, [0, 1]
  BudgetScope scope = BudgetScope::kWindow;  // per-window percentile (LLMLingua-2) or global

  bool force_reserve_digit = false;
  bool drop_consecutive = false;
  // A negation and the word it negates, a number and its unit, the words of a date are kept
  // or dropped together (core/src/word_bonds.h).
  bool keep_meaning = true;
  double alpha = 1.0;                // m = alpha * p + (1 - alpha) * s_norm; 1 = LLMLingua-2

  // Context-level filter over a list of contexts, as LLMLingua-2.
  bool use_context_level_filter = false;
  bool use_token_level_filter = true;
  int64_t target_context = -1;              // [1, 2^31 - 1]
  double context_level_rate = 1.0;          // (0, 1]
  int64_t context_level_target_token = -1;  // [1, 2^31 - 1]
  std::vector<int> force_context_ids;       // each a context index
};

// Both, for a one-shot compression (prepare, run the model, select once).
struct CompressOptions : PrepareOptions, SelectOptions {};

// One model call. Rows are padded to seq_len with the pad id and mask 0.
struct Batch {
  int rows = 0;
  int seq_len = 0;
  std::vector<int64_t> input_ids;       // rows * seq_len
  std::vector<int64_t> attention_mask;  // rows * seq_len
  // Written by the caller after inference:
  std::vector<float> logits;            // rows * seq_len * 2
  std::vector<float> hidden;            // rows * seq_len * hidden_size, if needs_hidden
};

struct Word {
  uint32_t begin = 0, end = 0;      // bytes in the original text of its context
  uint32_t begin16 = 0, end16 = 0;  // the same span in UTF-16 code units (JS string indices)
  int32_t context = 0;
  bool keep = false;
  bool forced = false;              // a force token, a forced digit word
  float score = 0.0f;               // fused score m, 1.0 for forced words
};

struct CompressResult {
  std::string compressed_prompt;                    // contexts joined by "\n\n"
  std::vector<std::string> compressed_prompt_list;  // one per kept context
  int64_t origin_tokens = 0;      // target-LLM tokens (estimated), before
  int64_t compressed_tokens = 0;  // and after
  // Of both: the tokens of structure marks that are always kept (fence lines, inline code,
  // table pipes, a JSON document's syntax and keys). They are outside the budget, so a
  // rate applies to the rest (compressible rate = (after - these) / (before - these)).
  int64_t protected_tokens = 0;
  int64_t model_tokens = 0;       // tokens seen by the classifier
  int32_t windows = 0;
  std::vector<Word> words;
  std::vector<uint8_t> context_kept;  // one per input context
};

class Job {
 public:
  virtual ~Job() = default;
  virtual std::vector<Batch>& batches() = 0;
  virtual bool needs_hidden() const = 0;   // whether the caller must fill Batch::hidden
  // Once every batch's outputs are written: checks them, computes what does not depend on
  // SelectOptions (preserve probabilities, outlier scores) and frees the batches' outputs.
  // Callable once; Select calls it when the caller has not.
  virtual Status Score() = 0;
  // After Score: each word's UTF-16 span within its context, and the context's index.
  virtual Status WordSpans(std::vector<uint32_t>* begin16, std::vector<uint32_t>* end16,
                           std::vector<int32_t>* context) const = 0;
  // After Score: the caller's exact target-LLM token counts of each context and each word,
  // used instead of the built-in estimate for the budgets and origin_tokens by every later
  // Select (compressed_tokens stays the estimate: the caller recounts the compressed text).
  virtual Status SetTokenCounts(std::vector<int64_t> context_tokens, std::vector<uint32_t> word_tokens) = 0;
  // Selects words; any number of times, each as a fresh one-shot compression would.
  virtual Result<CompressResult> Select(const SelectOptions& options) = 0;
};

class Compressor {
 public:
  // kInvalidModel for a spec the pipeline cannot run with (checked here, once).
  static Result<Compressor> Create(std::unique_ptr<Tokenizer> tokenizer, ModelSpec spec);
  ~Compressor();
  Compressor(Compressor&&) noexcept;
  Compressor& operator=(Compressor&&) noexcept;

  const Tokenizer& tokenizer() const;
  const ModelSpec& spec() const;

  // Validates options and UTF-8, tokenises, matches force tokens, chunks and batches.
  // The job's outlier reading needs what the model supports (hidden output, statistics).
  Result<std::unique_ptr<Job>> Prepare(const std::vector<std::string>& contexts,
                                       const PrepareOptions& options) const;
  // For one selection with `options`: checks the select options up front too (before the
  // model runs), and computes no outlier reading when alpha is 1 (it would not be used).
  Result<std::unique_ptr<Job>> Prepare(const std::vector<std::string>& contexts,
                                       const CompressOptions& options) const;

 private:
  struct Impl;
  explicit Compressor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mooscomp
