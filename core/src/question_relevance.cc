#include "question_relevance.h"

#include <algorithm>
#include <cmath>

#include "meaning_lexicon.h"

namespace mooscomp {
namespace {

// BM25's usual constants: term-frequency saturation and length normalisation.
constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
// A word this many words or fewer from a question word is near it, linearly less so with
// distance: the answer to "what is the capital of X" usually stands a few words from
// "capital" and "X".
constexpr int kNearWords = 10;
// Feedback terms: how many, how rare at least (a rarity weight of 2 is a word one standard
// deviation rarer than the average), and their weight against the question's own.
constexpr size_t kFeedbackTerms = 8;
constexpr float kFeedbackMinWeight = 2.0f;
constexpr float kFeedbackWeight = 0.5f;
// The second best window feeds back only when it scores at least this share of the best: a
// distractor that shares a common question word ("film") would feed its own rare words back
// and outrank the answer.
constexpr float kFeedbackSourceShare = 0.5f;
// The weight of a related word ("son" for "father") against the question word's.
constexpr float kRelatedWeight = 0.5f;
// The share of its context's best relevance a window adds to its own.
constexpr float kContextShare = 0.5f;

bool IsAsciiPunct(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

std::string_view Text(const std::string& context, const WordSpan& w) {
  return std::string_view(context).substr(w.begin, w.end - w.begin);
}

// A word's rarity weight: (x - mean) / std + 1 with x the sum of its tokens' -log unigram
// frequency, so a word as common as the average weighs 1 and a very common one 0; 1 when the
// model ships no word statistics.
float RarityWeight(const Encoding& tokens, const WordSpan& w, const ModelSpec& spec) {
  if (spec.neg_log_freq.empty() || !(spec.word_rarity_std > 0.0)) return 1.0f;
  double x = 0.0;
  for (uint32_t t = w.token_begin; t < w.token_end; ++t) {
    const auto id = static_cast<size_t>(tokens.ids[t]);
    x += id < spec.neg_log_freq.size() ? spec.neg_log_freq[id] : 0.0f;
  }
  return static_cast<float>(std::max(0.0, (x - spec.word_rarity_mean) / spec.word_rarity_std + 1.0));
}

// BM25 of `terms` against each window, the windows as the documents: the inverse document
// frequency over the windows times the term's weight.
std::vector<float> Bm25(const QuestionTerms& terms, const std::vector<std::string>& keys, const std::vector<Window>& windows) {
  std::unordered_map<std::string, int> df, tf;
  double total_words = 0.0;
  for (const Window& win : windows) {
    tf.clear();
    for (uint32_t w = win.word_begin; w < win.word_end; ++w) {
      if (terms.count(keys[w])) ++tf[keys[w]];
    }
    for (const auto& [key, n] : tf) ++df[key];
    total_words += win.word_end - win.word_begin;
  }
  const double n_windows = static_cast<double>(windows.size());
  const double avg_len = std::max(1.0, total_words / n_windows);
  std::vector<float> out(windows.size(), 0.0f);
  for (size_t i = 0; i < windows.size(); ++i) {
    const Window& win = windows[i];
    tf.clear();
    for (uint32_t w = win.word_begin; w < win.word_end; ++w) {
      if (terms.count(keys[w])) ++tf[keys[w]];
    }
    const double len = win.word_end - win.word_begin;
    double score = 0.0;
    for (const auto& [key, n] : tf) {
      const double d = df[key];
      const double idf = std::log(1.0 + (n_windows - d + 0.5) / (d + 0.5));
      score += terms.at(key) * idf * n * (kK1 + 1.0) / (n + kK1 * (1.0 - kB + kB * len / avg_len));
    }
    out[i] = static_cast<float>(score);
  }
  return out;
}

}  // namespace

std::string TermKey(std::string_view word) {
  while (!word.empty() && IsAsciiPunct(word.front())) word.remove_prefix(1);
  while (!word.empty() && IsAsciiPunct(word.back())) word.remove_suffix(1);
  std::string key(word);
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (key.size() > 3 && key.compare(key.size() - 2, 2, "'s") == 0) key.resize(key.size() - 2);
  return key;
}

QuestionTerms FindQuestionTerms(std::string_view question, const Encoding& tokens, const std::vector<WordSpan>& words,
                                const ModelSpec& spec) {
  QuestionTerms terms;
  for (const WordSpan& w : words) {
    const std::string key = TermKey(question.substr(w.begin, w.end - w.begin));
    if (key.empty() || lexicon::IsFunctionWord(key) || lexicon::IsNegation(key)) continue;
    const float weight = RarityWeight(tokens, w, spec);
    if (weight > 0.0f) terms[key] = std::max(terms[key], weight);
  }
  // The words a passage states the question's relations with, at a share of their word's
  // weight: "Who is the father of X?" is answered by "X ... the son of Y".
  QuestionTerms related;
  for (const auto& [key, weight] : terms) {
    for (std::string_view r : lexicon::RelatedWords(key)) {
      float& w = related[std::string(r)];
      w = std::max(w, kRelatedWeight * weight);
    }
  }
  for (const auto& [key, weight] : related) terms.emplace(key, weight);
  return terms;
}

QuestionScores ScoreAgainstQuestion(const QuestionTerms& terms, const RelevanceInput& in) {
  const std::vector<std::string>& contexts = *in.contexts;
  const std::vector<WordSpan>& words = *in.words;
  const std::vector<Window>& windows = *in.windows;
  QuestionScores out;
  out.window_relevance.assign(windows.size(), 0.0f);
  out.context_relevance.assign(contexts.size(), 0.0f);
  out.nearness.assign(words.size(), 0.0f);
  if (terms.empty() || windows.empty()) return out;

  // Each word's key, once.
  std::vector<std::string> keys(words.size());
  for (size_t c = 0; c < contexts.size(); ++c) {
    for (uint32_t w = (*in.context_word_begin)[c]; w < (*in.context_word_begin)[c + 1]; ++w) {
      keys[w] = TermKey(Text(contexts[c], words[w]));
    }
  }
  std::vector<float> first = Bm25(terms, keys, windows);

  // Feedback: the rarest words of the two best windows (not the question's own, not function
  // words) that stand in another context too (any, for one context), at most kFeedbackTerms,
  // at kFeedbackWeight of their weight. A rare word of the best window alone ranks no other
  // passage; one shared with another passage is the bridge of a two-hop question ("directed
  // by Albert S. Rogell" -> the passage about Rogell). Within one context the same filter by
  // window cost SAT answer words 0.770 -> 0.763 at 3x, so it is left out there.
  QuestionTerms expanded = terms;
  if (windows.size() > 2) {
    // The first context each key stands in, and whether it stands in a second one.
    const bool one_context = contexts.size() < 2;
    std::unordered_map<std::string, std::pair<int32_t, bool>> seen;
    for (size_t i = 0; i < windows.size() && !one_context; ++i) {
      const Window& win = windows[i];
      for (uint32_t w = win.word_begin; w < win.word_end; ++w) {
        auto [it, fresh] = seen.try_emplace(keys[w], win.context, false);
        if (!fresh && it->second.first != win.context) it->second.second = true;
      }
    }
    std::vector<size_t> best(windows.size());
    for (size_t i = 0; i < best.size(); ++i) best[i] = i;
    std::partial_sort(best.begin(), best.begin() + 2, best.end(), [&](size_t a, size_t b) { return first[a] > first[b]; });
    std::vector<std::pair<float, std::string>> candidates;
    for (size_t k = 0; k < 2 && first[best[k]] > 0.0f && first[best[k]] >= kFeedbackSourceShare * first[best[0]]; ++k) {
      const Window& win = windows[best[k]];
      for (uint32_t w = win.word_begin; w < win.word_end; ++w) {
        const std::string& key = keys[w];
        if (key.size() < 3 || terms.count(key) || lexicon::IsFunctionWord(key)) continue;
        if (!one_context && !seen.at(key).second) continue;
        const float weight = in.tokens && in.spec ? RarityWeight(*in.tokens, words[w], *in.spec) : 1.0f;
        if (weight >= kFeedbackMinWeight) candidates.emplace_back(weight, key);
      }
    }
    std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    size_t added = 0;
    for (const auto& [weight, key] : candidates) {
      if (added == kFeedbackTerms) break;
      if (expanded.emplace(key, kFeedbackWeight * weight).second) ++added;
    }
  }
  const std::vector<float> second = expanded.size() > terms.size() ? Bm25(expanded, keys, windows) : first;
  for (size_t i = 0; i < windows.size(); ++i) {
    float& best = out.context_relevance[static_cast<size_t>(windows[i].context)];
    best = std::max(best, second[i]);
  }
  for (size_t i = 0; i < windows.size(); ++i) {
    out.window_relevance[i] = second[i] + kContextShare * out.context_relevance[static_cast<size_t>(windows[i].context)];
  }

  // Each word's question term (its weight), for the nearness.
  std::vector<const std::pair<const std::string, float>*> term_of(words.size(), nullptr);
  for (size_t w = 0; w < words.size(); ++w) {
    const auto it = terms.find(keys[w]);
    if (it != terms.end()) term_of[w] = &*it;
  }

  // Nearness: 1 on the rarest question word, less on commoner ones, fading to 0 over
  // kNearWords words on either side, within the word's context.
  float max_weight = 0.0f;
  for (const auto& [key, weight] : terms) max_weight = std::max(max_weight, weight);
  for (size_t c = 0; c < contexts.size(); ++c) {
    const int64_t begin = (*in.context_word_begin)[c], end = (*in.context_word_begin)[c + 1];
    for (int64_t m = begin; m < end; ++m) {
      if (!term_of[m]) continue;
      const float peak = term_of[m]->second / max_weight;
      for (int64_t w = std::max(begin, m - kNearWords); w < std::min(end, m + kNearWords + 1); ++w) {
        const float value = peak * (1.0f - static_cast<float>(std::abs(w - m)) / (kNearWords + 1));
        out.nearness[w] = std::max(out.nearness[w], value);
      }
    }
  }
  return out;
}

}  // namespace mooscomp
