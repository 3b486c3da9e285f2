// Question-aware compression (LongLLMLingua's idea, lexically): how relevant each window is
// to the question (BM25 over word units, weighted by the model's word rarity), and how near
// each word stands to a question word. Computed once at Prepare; Select turns the relevance
// into per-window budgets (budget.h) and the nearness into a score bonus.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "chunker.h"
#include "mooscomp/model_spec.h"
#include "mooscomp/tokenizer.h"
#include "word_span.h"

namespace mooscomp {

// The key under which a question word and a context word match: ASCII letters lowercased,
// ASCII punctuation trimmed from both ends, a trailing "'s" dropped.
std::string TermKey(std::string_view word);

// The question's content words by key, each with its weight: its rarity against training
// text when the model ships word statistics (a word as common as the average weighs 1, a
// function word 0), else 1; and the words a passage states a relation of the question with
// (lexicon::RelatedWords: "father" -> "son", "daughter"), at half their word's weight. Empty
// when the question has no content word.
using QuestionTerms = std::unordered_map<std::string, float>;
QuestionTerms FindQuestionTerms(std::string_view question, const Encoding& tokens, const std::vector<WordSpan>& words,
                                const ModelSpec& spec);

// The job's text as the scorer reads it.
struct RelevanceInput {
  const std::vector<std::string>* contexts = nullptr;
  const Encoding* tokens = nullptr;
  const std::vector<WordSpan>* words = nullptr;
  const std::vector<uint32_t>* context_word_begin = nullptr;  // contexts + 1 entries
  const std::vector<Window>* windows = nullptr;
  const ModelSpec* spec = nullptr;
};

struct QuestionScores {
  std::vector<float> window_relevance;   // BM25 of the question against each window, >= 0
  std::vector<float> context_relevance;  // the best of its windows'
  std::vector<float> nearness;           // per word, in [0, 1]: 1 on a question word
};

// Two passes: BM25 of the question's terms, then again with the rarest words of the best
// windows that also stand in another context added at a lower weight (pseudo-relevance
// feedback: the bridge entity of a two-hop question, "the director of film X" -> the
// director's name, finds the passage about it). A
// window then scores its own relevance plus half its context's best (a passage's windows
// without the question's words still belong to a relevant passage).
QuestionScores ScoreAgainstQuestion(const QuestionTerms& terms, const RelevanceInput& in);

}  // namespace mooscomp
