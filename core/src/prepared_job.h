// The state of a job: the contexts, their tokens, words and windows, the batches the caller
// runs through the model and, once scored, what every selection starts from.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "batcher.h"
#include "chunker.h"
#include "mooscomp/job.h"
#include "mooscomp/model_spec.h"
#include "question_relevance.h"
#include "segmenter.h"
#include "selector.h"
#include "word_bonds.h"
#include "word_scores.h"

namespace mooscomp {

struct BatchShape {
  int rows = 0, seq_len = 0;
};

// What Compressor::Prepare builds.
struct JobState {
  std::shared_ptr<const ModelSpec> spec;
  PrepareOptions options;
  std::vector<std::string> contexts;
  Encoding tokens;                            // spans relative to their context
  int32_t unk_id = -1;                        // the tokenizer's unknown piece
  std::vector<uint32_t> context_token_begin;  // contexts + 1 entries
  std::vector<WordSpan> words;
  std::vector<uint32_t> context_word_begin;   // contexts + 1 entries
  // Bonds merged into disjoint ranges (MergeBonds), once: with meaning bonds, and without
  // them (links only) for keep_meaning = false.
  std::vector<WordBond> bonds, structure_bonds;
  std::vector<LineBond> line_bonds;           // line markers and their lines
  std::vector<uint32_t> sentence_starts;      // each sentence's first word, then words.size()
  std::vector<Window> windows;
  std::vector<BatchSlot> slots;               // one per window
  std::vector<BatchShape> shapes;             // of each batch as prepared
  std::vector<Batch> batches;
  bool needs_hidden = false;
  // With a question (options.question): each window's relevance, each word's nearness.
  bool has_question_terms = false;
  QuestionScores question;
};

// What Job::Score computes once from the model's outputs: per token (0 outside windows),
// and the target-LLM token estimates the budgets weigh with.
struct JobScores {
  std::vector<float> preserve;             // p_k, possibly non-finite
  std::vector<float> outlier;              // s_k; empty without an outlier reading
  std::vector<int64_t> context_tokens;     // one per context
  std::vector<uint32_t> word_tokens;       // one per word
  std::vector<uint32_t> word_begin16, word_end16;
  int64_t fixed_tokens = 0;                // the question's and the instruction's
};

class PreparedJob final : public Job {
 public:
  explicit PreparedJob(JobState state) : state_(std::move(state)) {}

  std::vector<Batch>& batches() override { return state_.batches; }
  bool needs_hidden() const override { return state_.needs_hidden; }
  Status Score() override;
  Status WordSpans(std::vector<uint32_t>* begin16, std::vector<uint32_t>* end16,
                   std::vector<int32_t>* context) const override;
  Status SetTokenCounts(std::vector<int64_t> context_tokens, std::vector<uint32_t> word_tokens) override;
  Result<CompressResult> Select(const SelectOptions& options) override;

 private:
  Status CheckOutputs() const;
  // The steps of Select (core/ALGORITHM.md's pipeline).
  std::vector<ScoredWord> ScoreWordsFused(const SelectOptions& options) const;
  void ApplyBonds(const SelectOptions& options, std::vector<ScoredWord>* scored) const;
  int64_t FilterContextsFor(const SelectOptions& options, const std::vector<ScoredWord>& scored,
                            CompressResult* result) const;
  std::vector<Budget> WindowBudgets(const Budget& budget, const std::vector<uint8_t>& context_kept) const;
  std::vector<uint8_t> SelectWords(const SelectOptions& options, const Budget& plain, const std::vector<Budget>& budgets,
                                   const std::vector<uint8_t>& context_kept, const std::vector<ScoredWord>& scored,
                                   std::vector<SelectableWord>* selectable) const;
  void WriteOutput(const SelectOptions& options, const std::vector<uint8_t>& keep, const std::vector<ScoredWord>& scored,
                   const std::vector<SelectableWord>& selectable, CompressResult* result) const;

  JobState state_;
  JobScores scores_;
  bool scored_ = false;
};

}  // namespace mooscomp
