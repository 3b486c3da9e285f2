// Validation of the model spec, of PrepareOptions against it, and of SelectOptions against
// the number of contexts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "mooscomp/job.h"
#include "mooscomp/model_spec.h"
#include "mooscomp/status.h"

namespace mooscomp {

// kInvalidArgument (or kInvalidUtf8 for a malformed chunk-end token) naming the option; an
// outlier reading the model lacks what it needs for is refused. Force tokens are checked
// where they are compiled (ForceTokenMatcher::Create).
Status CheckPrepareOptions(const PrepareOptions& options, const ModelSpec& spec);

// kInvalidArgument naming the option.
Status CheckSelectOptions(const SelectOptions& options, size_t contexts);

// kInvalidModel for a spec the pipeline cannot run with.
Status CheckModelSpec(const ModelSpec& spec, int32_t vocab_size);

// Whether the model can serve an outlier reading (kInvalidArgument saying what it lacks).
Status CheckOutlierSupport(OutlierKind kind, const ModelSpec& spec);
// Every outlier reading the model can serve, in enum order.
std::vector<OutlierKind> SupportedOutliers(const ModelSpec& spec);

// Whether the caller must run the model's `hidden` output and write Batch::hidden.
bool NeedsHidden(const PrepareOptions& options);

}  // namespace mooscomp
