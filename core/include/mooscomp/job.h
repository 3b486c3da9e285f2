// A prepared compression: the model calls it needs (Batch), then any number of selections
// (Job::Select) from the one set of model outputs, each giving a CompressResult.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mooscomp/options.h"
#include "mooscomp/status.h"

namespace mooscomp {

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
  std::string compressed_prompt;  // instruction, kept contexts and question, joined by "\n\n"
  std::vector<std::string> compressed_prompt_list;  // one per kept context, in context_order
  std::vector<int32_t> context_order;               // the kept contexts' indices, as output
  std::vector<float> context_relevance;             // per context, to the question (0 without one)
  int64_t origin_tokens = 0;      // target-LLM tokens (estimated), before
  int64_t compressed_tokens = 0;  // and after
  // Of both: the tokens kept whole, so compressible rate = (after - these) / (before - these).
  // Structure marks (fence lines, inline code, table pipes, a JSON document's syntax and keys)
  // are outside the budget: a rate applies to the rest. The instruction and the question are
  // counted in it: a rate r keeps r of everything, them included.
  int64_t protected_tokens = 0;
  int64_t question_tokens = 0;    // the instruction's and the question's, in all three above
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

}  // namespace mooscomp
