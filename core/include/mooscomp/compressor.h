// The compressor facade: one call before inference (Prepare), then, after it, any number
// of selections (Job::Select) from the one set of model outputs. The core never runs the
// model itself; the caller (JS with onnxruntime-web, or a test) runs every Batch and writes
// its outputs back before calling Score or Select.
//
// The headers, bottom up: status.h (errors), options.h (the options, generated from
// core/options.json), model_spec.h, tokenizer.h, job.h (the Job interface and its value types),
// and this one, which ties them together.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mooscomp/job.h"
#include "mooscomp/model_spec.h"
#include "mooscomp/options.h"
#include "mooscomp/status.h"
#include "mooscomp/tokenizer.h"

namespace mooscomp {

class Compressor {
 public:
  // kInvalidModel for a spec the pipeline cannot run with (checked here, once).
  static Result<Compressor> Create(std::unique_ptr<Tokenizer> tokenizer, ModelSpec spec);
  ~Compressor();
  Compressor(Compressor&&) noexcept;
  Compressor& operator=(Compressor&&) noexcept;

  const Tokenizer& tokenizer() const;
  const ModelSpec& spec() const;
  // The outlier readings this model can serve (what its spec carries), in enum order; any
  // other is refused by Prepare with kInvalidArgument saying what the model lacks.
  std::vector<OutlierKind> supported_outliers() const;

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
