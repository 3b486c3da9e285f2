#include "selector.h"

#include "utf8.h"

namespace mooscomp {
namespace {

// Percentile of the unit's scores; each word counts `weight` times when `weighted`.
bool UnitPercentile(const std::vector<WordRange>& ranges, const std::vector<SelectableWord>& words,
                    bool weighted, double q, std::vector<WeightedValue>* scratch, double* out) {
  scratch->clear();
  for (const WordRange& r : ranges) {
    for (uint32_t w = r.first; w < r.second; ++w) scratch->push_back({words[w].score, weighted ? words[w].weight : 1u});
  }
  return WeightedPercentile(scratch, q, out);
}

void ZeroRepeatedForceTokens(const std::vector<WordRange>& ranges, double between_threshold,
                             std::vector<SelectableWord>* words) {
  for (const WordRange& r : ranges) {
    bool kept_word_between = false;
    std::string_view previous;
    bool has_previous = false;
    for (uint32_t w = r.first; w < r.second; ++w) {
      SelectableWord& word = (*words)[w];
      if (!word.force_token) {
        kept_word_between = kept_word_between || word.score > between_threshold;
        continue;
      }
      if (kept_word_between) {
        kept_word_between = false;
      } else if (has_previous && word.text == previous) {
        word.score = 0.0f;
      }
      previous = word.text;
      has_previous = true;
    }
  }
}

bool HasVisibleText(std::string_view s) {
  for (char c : s) {
    if (!IsAsciiSpace(c)) return true;
  }
  return false;
}

// A budget never turns text into nothing: a range that keeps no word keeps its best word
// with visible text (the first of equals).
void KeepBestWordIfNone(const std::vector<WordRange>& ranges, const std::vector<SelectableWord>& words,
                        std::vector<uint8_t>* keep) {
  for (const WordRange& r : ranges) {
    uint32_t best = r.second;
    for (uint32_t w = r.first; w < r.second; ++w) {
      if ((*keep)[w]) {
        best = r.second;
        break;
      }
      if (HasVisibleText(words[w].text) && (best == r.second || words[w].score > words[best].score)) best = w;
    }
    if (best < r.second) (*keep)[best] = 1;
  }
}

}  // namespace

void SelectUnit(const std::vector<WordRange>& ranges, const Budget& budget, std::vector<SelectableWord>* words,
                std::vector<uint8_t>* keep, std::vector<WeightedValue>* scratch) {
  if (budget.mode == Budget::Mode::kKeepAll) {
    for (const WordRange& r : ranges) {
      for (uint32_t w = r.first; w < r.second; ++w) (*keep)[w] = 1;
    }
    return;
  }
  const bool by_rate = budget.mode == Budget::Mode::kReduceRate;
  if (budget.drop_consecutive) {
    double between = budget.value;
    if (by_rate && !UnitPercentile(ranges, *words, false, static_cast<int>(100 * budget.value), scratch, &between)) {
      return;  // no words
    }
    ZeroRepeatedForceTokens(ranges, between, words);
  }
  double threshold = budget.value;
  if (by_rate &&
      !UnitPercentile(ranges, *words, true, static_cast<int>(100 * budget.value + 1), scratch, &threshold)) {
    KeepBestWordIfNone(ranges, *words, keep);  // no words with target tokens: at most one to keep
    return;
  }
  for (const WordRange& r : ranges) {
    std::string_view last_kept;
    bool any_kept = false;
    for (uint32_t w = r.first; w < r.second; ++w) {
      const SelectableWord& word = (*words)[w];
      const double score = word.score;
      bool kept = score > threshold || (threshold == 1.0 && score == threshold);
      if (kept && budget.drop_consecutive && word.force_token && any_kept && word.text == last_kept) kept = false;
      (*keep)[w] = kept;
      if (kept) {
        last_kept = word.text;
        any_kept = true;
      }
    }
  }
  if (by_rate) KeepBestWordIfNone(ranges, *words, keep);
}

}  // namespace mooscomp
