// Test helper: plays the model. Writes logits (and hidden states) for every batch of a
// job from a function of each real token's text, so selections can be hand-computed.
#pragma once

#include <cmath>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "mooscomp/compressor.h"

namespace mooscomp {
namespace test {

// Logits whose softmax gives preserve probability p for label 1: (0, log(p / (1 - p))).
inline void SetPreserveProbability(float p, float* logits) {
  logits[0] = 0.0f;
  logits[1] = static_cast<float>(std::log(static_cast<double>(p) / (1.0 - static_cast<double>(p))));
}

// Runs every batch with per-token probabilities from `prob(token_id)`; specials and
// padding get 0.5. Hidden states (if needed) are `hidden_value(id, d)`.
inline void RunFakeModel(Job* job, int hidden_size, const std::function<float(int64_t)>& prob,
                         const std::function<float(int64_t, int)>& hidden_value = nullptr) {
  for (Batch& b : job->batches()) {
    const size_t cells = static_cast<size_t>(b.rows) * b.seq_len;
    b.logits.assign(cells * 2, 0.0f);
    for (size_t i = 0; i < cells; ++i) {
      const bool real = b.attention_mask[i] != 0;
      SetPreserveProbability(real ? prob(b.input_ids[i]) : 0.5f, &b.logits[2 * i]);
    }
    if (job->needs_hidden()) {
      b.hidden.assign(cells * hidden_size, 0.0f);
      for (size_t i = 0; i < cells; ++i) {
        for (int d = 0; d < hidden_size; ++d) b.hidden[i * hidden_size + d] = hidden_value(b.input_ids[i], d);
      }
    }
  }
}

}  // namespace test
}  // namespace mooscomp
