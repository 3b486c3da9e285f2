// Sentences, and the selection step that keeps a word of each (keep_every_sentence): a budget
// that keeps the best-scored words of a window can drop every word of a sentence, so a whole
// statement vanishes from the prompt.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "selector.h"
#include "word_bonds.h"
#include "word_scores.h"
#include "word_span.h"

namespace mooscomp {

// Appends the first word of each sentence among words [word_begin, word_end) of one
// context's `text` (none for no words). A word ends a sentence when its text ends with
// . ! ? 。 ！ ？ (closing quotes or brackets after it aside), when it is a line break (a "\n"
// force token), or when a line break stands between it and the next word. Not the chunk
// ends: chunk_end_tokens is a prepare option for where windows may be cut (a user may set
// "\n\n"), and its default has no ! ? 。.
void AppendSentenceStarts(std::string_view text, const std::vector<WordSpan>& words, uint32_t word_begin,
                          uint32_t word_end, std::vector<uint32_t>* starts);

// What KeepEverySentence reads of a selection; every vector has one entry per word of the job
// but `sentence_starts` (AppendSentenceStarts over every context, then the word count),
// `bonds` (merged: MergeBonds) and `line_bonds`.
struct SentenceCover {
  const std::vector<uint32_t>* sentence_starts = nullptr;
  const std::vector<WordSpan>* words = nullptr;
  const std::vector<ScoredWord>* scored = nullptr;          // which words are forced
  const std::vector<SelectableWord>* selectable = nullptr;  // text, score, weight
  const std::vector<WordBond>* bonds = nullptr;
  const std::vector<LineBond>* line_bonds = nullptr;
  const std::vector<int32_t>* unit = nullptr;               // the selection unit of a word, -1 outside
  // A sentence with fewer words saying something may vanish: "Um.", "Yeah, yeah." and
  // "Okay." are a meeting's fillers, not its statements (QMSum fillers kept at 3x: 0.063 with
  // every sentence covered, 0.007 from 3 words).
  int64_t min_words = 3;
};

// After the budget: a sentence of at least `min_words` words saying something (a letter, a
// digit or a symbol; markers and labels aside), or of one on a labelled line ("(B) kite",
// "name: x"), that keeps none of them (a kept "?" or "-"
// does not count) keeps its best-scored word that may be kept (in a unit, not forced, not a
// mark, saying something; the first of equals), with its bond and its line's markers. Each
// unit then pays for the target-LLM tokens (`weight`) it gained: its lowest-scored kept
// words without a digit, then those with one (the last of equals), never a forced word, a mark, a word just added or a sentence's
// last word saying something, are dropped with their bonds until as many tokens are dropped.
// A unit left owing (nothing more may go) takes back its added words, the lowest-scored
// sentence's first, until it owes nothing: the budget holds and the weakest sentences stay
// empty. Weights of 0 (a fixed threshold) drop nothing and take nothing back. Linear but for
// two sorts.
void KeepEverySentence(const SentenceCover& in, std::vector<uint8_t>* keep);

}  // namespace mooscomp
