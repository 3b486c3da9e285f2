// Packs windows into model batches: [CLS] tokens [SEP] per row, padded to the batch's
// longest row, attention mask 0 on padding.
#pragma once

#include <cstdint>
#include <vector>

#include "chunker.h"
#include "mooscomp/job.h"
#include "mooscomp/tokenizer.h"

namespace mooscomp {

// Where one window's tokens went: batch, row; token k of the window sits at column k + 1.
struct BatchSlot {
  int32_t batch = -1;  // -1 for a window without tokens (nothing to run)
  int32_t row = 0;
};

// Windows go in order, at most `max_rows` per batch. `slots` gets one entry per window.
void BuildBatches(const Encoding& tokens, const std::vector<Window>& windows, const Tokenizer& tokenizer,
                  int max_rows, std::vector<Batch>* batches, std::vector<BatchSlot>* slots);

}  // namespace mooscomp
