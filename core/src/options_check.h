// Validation of the model spec and of CompressOptions against it and the number of contexts.
#pragma once

#include <cstddef>
#include <cstdint>

#include "mooscomp/compressor.h"
#include "mooscomp/status.h"

namespace mooscomp {

// kInvalidArgument (or kInvalidUtf8 for a malformed chunk-end token) naming the option.
// Force tokens are checked where they are compiled (ForceTokenMatcher::Create).
Status CheckOptions(const CompressOptions& options, const ModelSpec& spec, size_t contexts);

// kInvalidModel for a spec the pipeline cannot run with.
Status CheckModelSpec(const ModelSpec& spec, int32_t vocab_size);

// Whether the caller must run the model's `hidden` output and write Batch::hidden.
bool NeedsHidden(const CompressOptions& options);

}  // namespace mooscomp
