// What the core needs to know about a model, read from its manifest by the caller.
#pragma once

#include <vector>

namespace mooscomp {

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

}  // namespace mooscomp
