// The state between Prepare and Finish: the contexts, their tokens, words and windows,
// and the batches the caller runs through the model.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "batcher.h"
#include "chunker.h"
#include "mooscomp/compressor.h"
#include "segmenter.h"

namespace mooscomp {

struct BatchShape {
  int rows = 0, seq_len = 0;
};

// What Compressor::Prepare builds.
struct JobState {
  std::shared_ptr<const ModelSpec> spec;
  CompressOptions options;
  std::vector<std::string> contexts;
  Encoding tokens;                            // spans relative to their context
  std::vector<uint32_t> context_token_begin;  // contexts + 1 entries
  std::vector<WordSpan> words;
  std::vector<uint32_t> context_word_begin;   // contexts + 1 entries
  std::vector<Window> windows;
  std::vector<BatchSlot> slots;               // one per window
  std::vector<BatchShape> shapes;             // of each batch as prepared
  std::vector<Batch> batches;
  bool needs_hidden = false;
};

class PreparedJob final : public Job {
 public:
  explicit PreparedJob(JobState state) : state_(std::move(state)) {}

  std::vector<Batch>& batches() override { return state_.batches; }
  bool needs_hidden() const override { return state_.needs_hidden; }
  Result<CompressResult> Finish() override;

 private:
  Status CheckOutputs() const;

  JobState state_;
  bool finished_ = false;
};

}  // namespace mooscomp
