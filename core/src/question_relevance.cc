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

bool IsAsciiPunct(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

std::string_view Text(const std::string& context, const WordSpan& w) {
  return std::string_view(context).substr(w.begin, w.end - w.begin);
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
  const bool rarity = !spec.neg_log_freq.empty() && spec.word_rarity_std > 0.0;
  for (const WordSpan& w : words) {
    const std::string key = TermKey(question.substr(w.begin, w.end - w.begin));
    if (key.empty() || lexicon::IsFunctionWord(key) || lexicon::IsNegation(key)) continue;
    float weight = 1.0f;
    if (rarity) {
      double x = 0.0;
      for (uint32_t t = w.token_begin; t < w.token_end; ++t) {
        const auto id = static_cast<size_t>(tokens.ids[t]);
        x += id < spec.neg_log_freq.size() ? spec.neg_log_freq[id] : 0.0f;
      }
      weight = static_cast<float>(std::max(0.0, (x - spec.word_rarity_mean) / spec.word_rarity_std + 1.0));
    }
    if (weight > 0.0f) terms[key] = std::max(terms[key], weight);
  }
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

  // Each word's term (its weight, or 0 when it is not a question word).
  std::vector<const std::pair<const std::string, float>*> term_of(words.size(), nullptr);
  for (size_t c = 0; c < contexts.size(); ++c) {
    for (uint32_t w = (*in.context_word_begin)[c]; w < (*in.context_word_begin)[c + 1]; ++w) {
      const auto it = terms.find(TermKey(Text(contexts[c], words[w])));
      if (it != terms.end()) term_of[w] = &*it;
    }
  }

  // BM25 with the windows as documents: the inverse document frequency over the windows
  // times the term's rarity weight.
  std::unordered_map<std::string, int> df;
  std::unordered_map<std::string, int> tf;
  double total_words = 0.0;
  for (const Window& win : windows) {
    tf.clear();
    for (uint32_t w = win.word_begin; w < win.word_end; ++w) {
      if (term_of[w]) ++tf[term_of[w]->first];
    }
    for (const auto& [key, n] : tf) ++df[key];
    total_words += win.word_end - win.word_begin;
  }
  const double n_windows = static_cast<double>(windows.size());
  const double avg_len = std::max(1.0, total_words / n_windows);
  for (size_t i = 0; i < windows.size(); ++i) {
    const Window& win = windows[i];
    tf.clear();
    for (uint32_t w = win.word_begin; w < win.word_end; ++w) {
      if (term_of[w]) ++tf[term_of[w]->first];
    }
    const double len = win.word_end - win.word_begin;
    double score = 0.0;
    for (const auto& [key, n] : tf) {
      const double d = df[key];
      const double idf = std::log(1.0 + (n_windows - d + 0.5) / (d + 0.5));
      score += terms.at(key) * idf * n * (kK1 + 1.0) / (n + kK1 * (1.0 - kB + kB * len / avg_len));
    }
    out.window_relevance[i] = static_cast<float>(score);
    float& best = out.context_relevance[static_cast<size_t>(win.context)];
    best = std::max(best, out.window_relevance[i]);
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
