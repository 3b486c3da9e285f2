#include "prepared_job.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "budget.h"
#include "context_filter.h"
#include "meaning_lexicon.h"
#include "options_check.h"
#include "outlier.h"
#include "output.h"
#include "selector.h"
#include "sentences.h"
#include "target_tokens.h"
#include "token_scores.h"
#include "unicode.h"
#include "utf8.h"
#include "word_scores.h"
#include "word_units.h"

namespace mooscomp {
namespace {

std::string_view WordText(const std::string& context, const WordSpan& w) {
  return std::string_view(context).substr(w.begin, w.end - w.begin);
}

// The share of a window's tokens a budget keeps (1 for a threshold: it ranks nothing).
double KeptShare(const Budget& b) { return b.mode == Budget::Mode::kReduceRate ? 1.0 - b.value : 1.0; }

// ASCII letters lowercased: the key under which mentions of a word count as the same word.
std::string MentionKey(std::string_view text) {
  std::string key(text);
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return key;
}

bool IsLowerLetter(char32_t cp) { return (unicode::Properties(cp) & unicode::kCased) && !unicode::IsCapital(cp); }

// A word written as a name: a capital then a lower-case letter ("Liberal", "McDonald", "Берг")
// or two capitals ("ITE", "GPU"), and not the first word of a sentence, a line or the
// text. The tokenizer folds case, so the model cannot see this.
bool LooksLikeName(std::string_view context, const WordSpan& word) {
  const std::string_view w = context.substr(word.begin, word.end - word.begin);
  size_t pos = 0;
  char32_t first = 0, second = 0;
  if (!DecodeUtf8(w, &pos, &first) || !DecodeUtf8(w, &pos, &second)) return false;
  if (!unicode::IsCapital(first) || !(unicode::IsCapital(second) || IsLowerLetter(second))) return false;
  size_t p = word.begin;  // back over spaces, quotes and brackets that may open a sentence
  while (p > 0 && std::string_view(" \t\"'(").find(context[p - 1]) != std::string_view::npos) --p;
  return p > 0 && std::string_view(".!?:\n\r").find(context[p - 1]) == std::string_view::npos;
}

// The rarity z a name-like word gets at least (logistic 0.88): as rare as a word two standard
// deviations above the average. models/quality.py at alpha 0.7: names kept at 3x in meeting
// transcripts 0.854 -> 0.931, for -0.003 word F1 on the Google human deletions (which drop
// names), every other figure within 0.01; 3.0 kept 0.012 more names for -0.002 more on Google.
constexpr double kNameZ = 2.0;

// Text with a letter outside ASCII and no Han or kana. Chinese and Japanese keep the model's
// reading of their neighbours: it keeps runs next to numbers whole, and the answers of
// LongBench's Chinese QA with them (answer bigrams at 3x 0.851; 0.836 with the rarity below,
// 0.810 with the shrink as well). Symbols the vocabulary lacks (≥, →, €, emoji) keep the
// table's rarity of the unknown piece, the largest: they may carry the meaning.
bool HasLetterNotHan(std::string_view text) {
  bool letter = false;
  size_t pos = 0;
  char32_t cp = 0;
  while (pos < text.size() && DecodeUtf8(text, &pos, &cp)) {
    if (unicode::IsHanOrKana(cp)) return false;
    letter = letter || unicode::IsLetterOutsideAscii(cp);
  }
  return letter;
}

// A word the model cannot read: its tokens with visible text are all the unknown piece
// standing for letters outside ASCII (a Cyrillic or Devanagari word under an English
// vocabulary; SentencePiece spells "▁Все" as "▁" and one unknown piece). Its preserve
// probability reads only its neighbours: under the English model a Russian word scores less
// the later it stands, a Han character 0.8 next to a digit and 0.13 ten characters on. ASCII
// symbols the vocabulary lacks (`(`, `{`) are unknown too, but were unknown in training as
// well, where the model learned them. Marks every token of such words.
std::vector<uint8_t> UnreadableTokens(const JobState& s) {
  std::vector<uint8_t> out(s.tokens.size(), 0);
  for (size_t c = 0; c < s.contexts.size(); ++c) {
    const std::string_view context = s.contexts[c];
    for (uint32_t w = s.context_word_begin[c]; w < s.context_word_begin[c + 1]; ++w) {
      const WordSpan& word = s.words[w];
      bool unknown = false, readable = false;
      for (uint32_t t = word.token_begin; t < word.token_end; ++t) {
        const std::string_view text = context.substr(s.tokens.begin[t], s.tokens.end[t] - s.tokens.begin[t]);
        if (std::all_of(text.begin(), text.end(), IsAsciiSpace)) continue;
        (s.tokens.ids[t] == s.unk_id && HasLetterNotHan(text) ? unknown : readable) = true;
      }
      if (unknown && !readable) std::fill(out.begin() + word.token_begin, out.begin() + word.token_end, 1);
    }
  }
  return out;
}

// A word the model cannot read (UnreadableTokens).
bool Unreadable(const std::vector<uint8_t>& unreadable, const WordSpan& w) {
  return w.token_end > w.token_begin && unreadable[w.token_begin];
}

// The rarity z of an unreadable word, which the frequency table cannot give (every unknown
// piece has the table's largest value): read from the text itself, longer words rarer
// (log2 of the characters against 4 for a word between spaces, against 1 for a character of
// a script written without spaces) and each repeat in the context less rare (-log2 of the
// occurrences), as a stopword is short and frequent in every language.
double UnreadableRarity(std::string_view text, uint32_t occurrences) {
  size_t pos = 0, chars = 0;
  char32_t cp = 0;
  bool spaceless = false;
  while (pos < text.size() && DecodeUtf8(text, &pos, &cp)) {
    ++chars;
    spaceless = spaceless || unicode::IsSpacelessScript(cp);
  }
  const double typical = spaceless ? 1.0 : 4.0;
  return std::log2(std::max<double>(1.0, static_cast<double>(chars)) / typical) -
         std::log2(std::max<double>(1.0, occurrences));
}

// Word rarity against training text, given to every token of the word: x_w = the sum of its
// tokens' -log unigram frequency, s_w = logistic((x_w - mean) / std) with the mean and std of
// x over the words of training text; a name-like word's (also a foreign name in Chinese or
// Japanese, a month, a weekday) z is at least kNameZ. With `first_mention`, a word seen
// before in its context (same text, ASCII case folded) is no rarer than the average word:
// z is capped at 0.
std::vector<float> WordRarityOutliers(const JobState& s, const std::vector<uint8_t>& unreadable, bool first_mention) {
  const ModelSpec& spec = *s.spec;
  const std::vector<float>& table = spec.neg_log_freq;
  std::vector<float> out(s.tokens.size(), 0.0f);
  std::unordered_set<std::string> seen;
  std::unordered_map<std::string_view, uint32_t> unreadable_counts;
  for (size_t c = 0; c < s.contexts.size(); ++c) {
    seen.clear();
    unreadable_counts.clear();
    for (uint32_t w = s.context_word_begin[c]; w < s.context_word_begin[c + 1]; ++w) {
      if (Unreadable(unreadable, s.words[w])) ++unreadable_counts[WordText(s.contexts[c], s.words[w])];
    }
    for (uint32_t w = s.context_word_begin[c]; w < s.context_word_begin[c + 1]; ++w) {
      const WordSpan& word = s.words[w];
      if (word.token_end == word.token_begin) continue;
      const std::string_view text = WordText(s.contexts[c], word);
      double z = 0.0;
      if (Unreadable(unreadable, word)) {
        z = UnreadableRarity(text, unreadable_counts[text]);
      } else {
        double x = 0.0;
        for (uint32_t t = word.token_begin; t < word.token_end; ++t) {
          const auto id = static_cast<size_t>(s.tokens.ids[t]);
          x += id < table.size() ? table[id] : 0.0f;
        }
        z = (x - spec.word_rarity_mean) / spec.word_rarity_std;
      }
      // A month or weekday is a name wherever it stands (also first in a sentence).
      if (LooksLikeName(s.contexts[c], word) || IsSpacelessName(text) || lexicon::IsMonth(text) || lexicon::IsWeekday(text)) z = std::max(z, kNameZ);
      if (first_mention && !seen.insert(MentionKey(text)).second) z = std::min(z, 0.0);
      const float value = Logistic(z);
      std::fill(out.begin() + word.token_begin, out.begin() + word.token_end, value);
    }
  }
  return out;
}

// How much of an unreadable token's preserve probability is its own: the rest is the mean
// over the window's unreadable tokens, so the model's reading of the neighbours ranks such
// tokens only among equals of the rarity above.
constexpr float kUnreadableShare = 0.25f;

void ShrinkUnreadable(const uint8_t* unreadable, uint32_t n, float* p) {
  double sum = 0.0;
  uint32_t count = 0;
  for (uint32_t k = 0; k < n; ++k) {
    if (unreadable[k] && std::isfinite(p[k])) {
      sum += p[k];
      ++count;
    }
  }
  if (count == 0) return;
  const auto mean = static_cast<float>(sum / count);
  for (uint32_t k = 0; k < n; ++k) {
    if (unreadable[k] && std::isfinite(p[k])) p[k] = mean + kUnreadableShare * (p[k] - mean);
  }
}

// The preserve probability and (with an outlier reading) the outlier score of every token,
// window by window; tokens outside windows keep 0.
void ScoreTokens(const JobState& s, JobScores* out) {
  out->preserve.assign(s.tokens.size(), 0.0f);
  TokenScoreConfig config;
  config.outlier = s.options.outlier;
  config.hidden_size = s.spec->hidden_size;
  config.neg_log_freq = &s.spec->neg_log_freq;
  config.hidden_mean = &s.spec->hidden_mean;
  config.hidden_std = &s.spec->hidden_std;
  config.hidden_score_mean = s.spec->hidden_score_mean;
  config.hidden_score_std = s.spec->hidden_score_std;
  const bool has_outlier = config.outlier != OutlierKind::kNone;
  if (has_outlier) out->outlier.assign(s.tokens.size(), 0.0f);
  std::vector<float> word_outliers;  // per token, for the word-level kinds
  const bool word_level = config.outlier == OutlierKind::kWordRarity || config.outlier == OutlierKind::kWordRarityFirst;
  // With a word-level rarity (a prepare option, as alpha is not), unreadable words are ranked
  // by their rarity in the text rather than by the model's reading of their neighbours; with
  // the other kinds (outlier "none": LLMLingua-2's scoring) p stays as it is.
  std::vector<uint8_t> unreadable;
  if (word_level) {
    unreadable = UnreadableTokens(s);
    word_outliers = WordRarityOutliers(s, unreadable, config.outlier == OutlierKind::kWordRarityFirst);
  }
  TokenScoreScratch scratch;
  for (size_t w = 0; w < s.windows.size(); ++w) {
    const BatchSlot& slot = s.slots[w];
    if (slot.batch < 0) continue;
    const Window& win = s.windows[w];
    const Batch& batch = s.batches[slot.batch];
    const uint32_t n = win.token_end - win.token_begin;
    WindowPreserveProbabilities(batch, slot.row, n, s.spec->preserve_label, out->preserve.data() + win.token_begin);
    if (word_level) ShrinkUnreadable(unreadable.data() + win.token_begin, n, out->preserve.data() + win.token_begin);
    if (!has_outlier) continue;
    if (word_level) config.external_outlier = word_outliers.data() + win.token_begin;
    WindowOutlierScores(batch, slot.row, n, s.tokens.ids.data() + win.token_begin, config, &scratch,
                        out->outlier.data() + win.token_begin);
  }
}

// Mean unforced word score per context (0 for a context without scored words).
std::vector<float> ContextScores(const JobState& s, const std::vector<ScoredWord>& scored) {
  std::vector<float> out(s.contexts.size(), 0.0f);
  for (size_t c = 0; c < s.contexts.size(); ++c) {
    double sum = 0.0;
    uint32_t count = 0;
    for (uint32_t w = s.context_word_begin[c]; w < s.context_word_begin[c + 1]; ++w) {
      if (!scored[w].has_tokens) continue;
      sum += scored[w].unforced;
      ++count;
    }
    if (count > 0) out[c] = static_cast<float>(sum / count);
  }
  return out;
}

}  // namespace

Status PreparedJob::CheckOutputs() const {
  const JobState& s = state_;
  for (size_t b = 0; b < s.batches.size(); ++b) {
    const Batch& batch = s.batches[b];
    const BatchShape& shape = s.shapes[b];
    const std::string which = "batch " + std::to_string(b);
    if (batch.rows != shape.rows || batch.seq_len != shape.seq_len) return InvalidState(which + " was reshaped");
    const size_t cells = static_cast<size_t>(shape.rows) * shape.seq_len;
    if (batch.logits.size() != cells * 2) {
      return InvalidState(which + ": logits has " + std::to_string(batch.logits.size()) + " values, expected " +
                          std::to_string(cells * 2));
    }
    if (s.needs_hidden && batch.hidden.size() != cells * s.spec->hidden_size) {
      return InvalidState(which + ": hidden has " + std::to_string(batch.hidden.size()) + " values, expected " +
                          std::to_string(cells * s.spec->hidden_size));
    }
    // A NaN or infinite output would silently score its words 0 (dropping them all).
    for (const std::vector<float>* values : {&batch.logits, &batch.hidden}) {
      const auto bad = std::find_if(values->begin(), values->end(), [](float v) { return !std::isfinite(v); });
      if (bad != values->end()) {
        return InvalidArgument(which + ": the model's " + (values == &batch.logits ? "logits" : "hidden states") +
                               " hold a non-finite value (NaN or infinity) at " +
                               std::to_string(bad - values->begin()));
      }
    }
  }
  return Status::Ok();
}

Status PreparedJob::Score() {
  if (scored_) return InvalidState("Score was already called on this job");
  MOOSCOMP_RETURN_IF_ERROR(CheckOutputs());
  JobState& s = state_;
  ScoreTokens(s, &scores_);
  for (const std::string& text : s.contexts) scores_.context_tokens.push_back(EstimateTargetTokens(text));
  for (const std::string* text : {&s.options.question, &s.options.instruction}) {
    if (!text->empty()) scores_.fixed_tokens += EstimateTargetTokens(*text);
  }
  scores_.word_tokens.resize(s.words.size());
  scores_.word_begin16.resize(s.words.size());
  scores_.word_end16.resize(s.words.size());
  for (size_t c = 0; c < s.contexts.size(); ++c) {
    Utf16Cursor cursor(s.contexts[c]);
    for (uint32_t w = s.context_word_begin[c]; w < s.context_word_begin[c + 1]; ++w) {
      scores_.word_tokens[w] = static_cast<uint32_t>(EstimateTargetTokens(WordText(s.contexts[c], s.words[w])));
      scores_.word_begin16[w] = cursor.At(s.words[w].begin);
      scores_.word_end16[w] = cursor.At(s.words[w].end);
    }
  }
  // Every selection starts from the scores: the model's outputs are no longer needed.
  for (Batch& batch : s.batches) {
    for (auto* v : {&batch.logits, &batch.hidden}) std::vector<float>().swap(*v);
    for (auto* v : {&batch.input_ids, &batch.attention_mask}) std::vector<int64_t>().swap(*v);
  }
  scored_ = true;
  return Status::Ok();
}

Status PreparedJob::WordSpans(std::vector<uint32_t>* begin16, std::vector<uint32_t>* end16,
                              std::vector<int32_t>* context) const {
  if (!scored_) return InvalidState("WordSpans needs a scored job");
  *begin16 = scores_.word_begin16;
  *end16 = scores_.word_end16;
  context->assign(state_.words.size(), 0);
  for (size_t c = 0; c < state_.contexts.size(); ++c) {
    for (uint32_t w = state_.context_word_begin[c]; w < state_.context_word_begin[c + 1]; ++w) {
      (*context)[w] = static_cast<int32_t>(c);
    }
  }
  return Status::Ok();
}

Status PreparedJob::SetTokenCounts(std::vector<int64_t> context_tokens, std::vector<uint32_t> word_tokens) {
  if (!scored_) return InvalidState("SetTokenCounts needs a scored job");
  if (context_tokens.size() != state_.contexts.size() || word_tokens.size() != state_.words.size()) {
    return InvalidArgument("token counts: expected " + std::to_string(state_.contexts.size()) + " contexts and " +
                           std::to_string(state_.words.size()) + " words");
  }
  for (int64_t n : context_tokens) {
    if (n < 0) return InvalidArgument("token counts must not be negative");
  }
  scores_.context_tokens = std::move(context_tokens);
  scores_.word_tokens = std::move(word_tokens);
  return Status::Ok();
}

// The steps of Select, in the order of core/ALGORITHM.md's pipeline table.

// word scores: fuse each token's preserve probability with its outlier reading, then a word
// scores as its tokens' mean or first.
std::vector<ScoredWord> PreparedJob::ScoreWordsFused(const SelectOptions& o) const {
  const JobState& s = state_;
  std::vector<float> token_scores(s.tokens.size());
  FuseTokenScores(scores_.preserve.data(), scores_.outlier.empty() ? nullptr : scores_.outlier.data(), o.alpha,
                  static_cast<uint32_t>(token_scores.size()), token_scores.data());
  std::vector<ScoredWord> scored(s.words.size());
  for (size_t c = 0; c < s.contexts.size(); ++c) {
    ScoreWords(s.contexts[c], s.words, s.context_word_begin[c], s.context_word_begin[c + 1], token_scores,
               s.options.word_score, o.force_reserve_digit, &scored);
  }
  // With a question: m' = (1 - w) * m + w * nearness to a question word (forced words stay 1).
  if (s.has_question_terms && o.question_weight > 0.0) {
    const auto w = static_cast<float>(o.question_weight);
    for (size_t i = 0; i < scored.size(); ++i) {
      if (!scored[i].forced) scored[i].score = (1.0f - w) * scored[i].score + w * s.question.nearness[i];
    }
  }
  return scored;
}

namespace {

// Keeps every word of a bond of which a word is kept.
void CompleteBonds(const std::vector<WordBond>& bonds, std::vector<uint8_t>* keep) {
  for (const WordBond& b : bonds) {
    const auto first = keep->begin() + b.first, last = keep->begin() + b.last;
    if (std::find(first, last, 1) != last) std::fill(first, last, 1);
  }
}

}  // namespace

// bonds: bound words score as the best of them, so they are kept or dropped together; a line
// marker scores as the best word of its line, so the budget counts it only with it.
void PreparedJob::ApplyBonds(const SelectOptions& o, std::vector<ScoredWord>* scored) const {
  const JobState& s = state_;
  std::vector<ScoredWord>& w = *scored;
  for (const WordBond& bond : o.keep_meaning ? s.bonds : s.structure_bonds) {
    float best = 0.0f;
    for (uint32_t i = bond.first; i < bond.last; ++i) best = std::max(best, w[i].score);
    for (uint32_t i = bond.first; i < bond.last; ++i) w[i].score = best;
  }
  for (const LineBond& bond : s.line_bonds) w[bond.marker].score = LineMarkerScore(bond, s.words, w);
}

// context filter: which contexts are kept, the tokens the budget covers, and the tokens of
// always-kept structure marks (outside the budget, as protected segments are in JS: a rate
// is the rate of the rest).
int64_t PreparedJob::FilterContextsFor(const SelectOptions& o, const std::vector<ScoredWord>& scored,
                                       CompressResult* result) const {
  const JobState& s = state_;
  const size_t n_contexts = s.contexts.size();
  const std::vector<int64_t>& context_tokens = scores_.context_tokens;
  for (size_t c = 0; c < n_contexts; ++c) result->origin_tokens += context_tokens[c];
  int64_t scope_tokens = result->origin_tokens;
  result->context_kept.assign(n_contexts, 1);
  if (o.use_context_level_filter && n_contexts > 1) {
    const double rate = ContextLevelRate(o, n_contexts, result->origin_tokens);
    result->context_kept = FilterContexts(ContextScores(s, scored), rate, o.force_context_ids);
    scope_tokens = 0;
    for (size_t c = 0; c < n_contexts; ++c) scope_tokens += result->context_kept[c] ? context_tokens[c] : 0;
  }
  for (size_t c = 0; c < n_contexts; ++c) {
    if (!result->context_kept[c]) continue;
    for (uint32_t w = s.context_word_begin[c]; w < s.context_word_begin[c + 1]; ++w) {
      if (s.words[w].mark == MarkKind::kKeep) result->protected_tokens += scores_.word_tokens[w];
    }
  }
  return scope_tokens;
}

// budget, with a question: each window's own budget by its relevance rank (budget.h); else
// the one budget everywhere.
std::vector<Budget> PreparedJob::WindowBudgets(const Budget& budget,
                                               const std::vector<uint8_t>& context_kept) const {
  const JobState& s = state_;
  if (!s.has_question_terms) return std::vector<Budget>(s.windows.size(), budget);
  std::vector<int64_t> tokens(s.windows.size(), 0);
  std::vector<uint8_t> in_scope(s.windows.size(), 0);
  for (size_t i = 0; i < s.windows.size(); ++i) {
    const Window& win = s.windows[i];
    in_scope[i] = context_kept[win.context];
    for (uint32_t w = win.word_begin; w < win.word_end; ++w) {
      if (s.words[w].mark != MarkKind::kKeep) tokens[i] += scores_.word_tokens[w];
    }
  }
  return RankedWindowBudgets(budget, tokens, s.question.window_relevance, in_scope);
}

// budget: the words kept in each window (or over the kept contexts, scope global); with
// keep_every_sentence, a word of each sentence, paid for in its unit (sentences.h); a line
// marker goes with its line, and a context that kept only markers keeps them (a rate never
// empties a text).
std::vector<uint8_t> PreparedJob::SelectWords(const SelectOptions& o, const Budget& plain, const std::vector<Budget>& budgets,
                                              const std::vector<uint8_t>& context_kept,
                                              const std::vector<ScoredWord>& scored,
                                              std::vector<SelectableWord>* selectable) const {
  const JobState& s = state_;
  const size_t n_contexts = s.contexts.size();
  std::vector<uint8_t> keep(s.words.size(), 0);
  std::vector<WeightedValue> scratch;
  std::vector<WordRange> ranges;
  std::vector<int32_t> unit;  // the unit each word is selected in, for keep_every_sentence
  if (o.keep_every_sentence) unit.assign(s.words.size(), -1);
  auto mark_unit = [&](uint32_t first, uint32_t last, size_t u) {
    if (!unit.empty()) std::fill(unit.begin() + first, unit.begin() + last, static_cast<int32_t>(u));
  };
  // The global scope is one unit under one budget; per-window budgets (a question) make it
  // window by window.
  if (o.scope == BudgetScope::kGlobal && !s.has_question_terms) {
    for (size_t c = 0; c < n_contexts; ++c) {
      if (!context_kept[c]) continue;
      ranges.push_back({s.context_word_begin[c], s.context_word_begin[c + 1]});
      mark_unit(s.context_word_begin[c], s.context_word_begin[c + 1], 0);
    }
    if (!budgets.empty()) SelectUnit(ranges, budgets[0], selectable, &keep, &scratch);
  } else {
    for (size_t i = 0; i < s.windows.size(); ++i) {
      const Window& win = s.windows[i];
      if (!context_kept[win.context]) continue;
      ranges.assign(1, {win.word_begin, win.word_end});
      // With a question, a window ranked to keep less than the plain budget covers no
      // sentence: what the question does not ask about pays for what it does.
      if (!s.has_question_terms || KeptShare(budgets[i]) >= KeptShare(plain)) mark_unit(win.word_begin, win.word_end, i);
      SelectUnit(ranges, budgets[i], selectable, &keep, &scratch);
    }
  }
  // A range that kept no word keeps its best word (selector.h), the first of a bond that
  // scores as one; a bond across windows may be kept in one of them: the rest of the bond
  // comes with it ("at least 15 hours", never "(at").
  CompleteBonds(o.keep_meaning ? s.bonds : s.structure_bonds, &keep);
  if (o.keep_every_sentence) {
    SentenceCover cover;
    cover.sentence_starts = &s.sentence_starts;
    cover.words = &s.words;
    cover.scored = &scored;
    cover.selectable = selectable;
    cover.bonds = o.keep_meaning ? &s.bonds : &s.structure_bonds;
    cover.line_bonds = &s.line_bonds;
    cover.unit = &unit;
    KeepEverySentence(cover, &keep);
  }
  const std::vector<uint8_t> selected = keep;
  ApplyLineBonds(s.line_bonds, s.words, &keep);
  for (size_t c = 0; c < n_contexts; ++c) {
    const auto first = keep.begin() + s.context_word_begin[c], last = keep.begin() + s.context_word_begin[c + 1];
    if (std::find(first, last, 1) == last) {
      std::copy(selected.begin() + s.context_word_begin[c], selected.begin() + s.context_word_begin[c + 1], first);
    }
  }
  return keep;
}

namespace {

// The order of the kept contexts in the output: as given, by relevance to the question
// (stable), or LongLLMLingua's two ends: ranks 0, 2, 4, ... from the front, 1, 3, 5, ... from
// the back, so the least relevant stand in the middle.
std::vector<int32_t> ContextOrderOf(ContextOrder order, const std::vector<uint8_t>& kept,
                                    const std::vector<float>& relevance) {
  std::vector<int32_t> ids;
  for (size_t c = 0; c < kept.size(); ++c) {
    if (kept[c]) ids.push_back(static_cast<int32_t>(c));
  }
  if (order == ContextOrder::kOriginal || relevance.empty()) return ids;
  std::stable_sort(ids.begin(), ids.end(), [&](int32_t a, int32_t b) { return relevance[a] > relevance[b]; });
  if (order == ContextOrder::kRelevance) return ids;
  std::vector<int32_t> front, back;
  for (size_t k = 0; k < ids.size(); ++k) (k % 2 == 0 ? front : back).push_back(ids[k]);
  front.insert(front.end(), back.rbegin(), back.rend());
  return front;
}

}  // namespace

// output: each word with its spans and decision; the kept contexts' text sliced from the
// original, in the chosen order, after the instruction and before the question.
void PreparedJob::WriteOutput(const SelectOptions& o, const std::vector<uint8_t>& keep,
                              const std::vector<ScoredWord>& scored, const std::vector<SelectableWord>& selectable,
                              CompressResult* result) const {
  const JobState& s = state_;
  result->words.resize(s.words.size());
  for (size_t c = 0; c < s.contexts.size(); ++c) {
    for (uint32_t w = s.context_word_begin[c]; w < s.context_word_begin[c + 1]; ++w) {
      Word& out = result->words[w];
      out.begin = s.words[w].begin;
      out.end = s.words[w].end;
      out.begin16 = scores_.word_begin16[w];
      out.end16 = scores_.word_end16[w];
      out.context = static_cast<int32_t>(c);
      out.keep = keep[w] != 0;
      out.forced = scored[w].forced;
      out.score = selectable[w].score;
    }
  }
  result->context_relevance = s.question.context_relevance;
  if (result->context_relevance.empty()) result->context_relevance.assign(s.contexts.size(), 0.0f);
  result->context_order = ContextOrderOf(o.reorder, result->context_kept, s.question.context_relevance);
  std::vector<std::string> parts;
  if (!s.options.instruction.empty()) parts.push_back(s.options.instruction);
  for (int32_t c : result->context_order) {
    std::string compressed;
    AppendCompressedText(s.contexts[c], s.words, s.context_word_begin[c], s.context_word_begin[c + 1], keep, &compressed);
    result->compressed_tokens += EstimateTargetTokens(compressed);
    parts.push_back(compressed);
    result->compressed_prompt_list.push_back(std::move(compressed));
  }
  if (!s.options.question.empty()) parts.push_back(s.options.question);
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) result->compressed_prompt += "\n\n";
    result->compressed_prompt += parts[i];
  }
  // The instruction and the question are kept whole: protected, like always-kept markup.
  result->origin_tokens += scores_.fixed_tokens;
  result->compressed_tokens += scores_.fixed_tokens;
  result->protected_tokens += scores_.fixed_tokens;
  result->question_tokens = scores_.fixed_tokens;
  result->model_tokens = static_cast<int64_t>(s.tokens.size());
  for (const BatchShape& shape : s.shapes) result->windows += shape.rows;
}

Result<CompressResult> PreparedJob::Select(const SelectOptions& o) {
  if (!scored_) MOOSCOMP_RETURN_IF_ERROR(Score());
  const JobState& s = state_;
  MOOSCOMP_RETURN_IF_ERROR(CheckSelectOptions(o, s.contexts.size()));

  std::vector<ScoredWord> scored = ScoreWordsFused(o);
  ApplyBonds(o, &scored);
  CompressResult result;
  const int64_t scope_tokens = FilterContextsFor(o, scored, &result);
  const Budget budget = TokenLevelBudget(o, std::max<int64_t>(0, scope_tokens - result.protected_tokens),
                                         result.protected_tokens, scores_.fixed_tokens);
  std::vector<SelectableWord> selectable(s.words.size());
  for (size_t c = 0; c < s.contexts.size(); ++c) {
    for (uint32_t w = s.context_word_begin[c]; w < s.context_word_begin[c + 1]; ++w) {
      SelectableWord& sw = selectable[w];
      sw.text = WordText(s.contexts[c], s.words[w]);
      sw.score = scored[w].score;
      sw.force_token = s.words[w].force_index >= 0;
      if (budget.mode == Budget::Mode::kReduceRate && s.words[w].mark != MarkKind::kKeep) sw.weight = scores_.word_tokens[w];
    }
  }
  const std::vector<uint8_t> keep = SelectWords(o, budget, WindowBudgets(budget, result.context_kept), result.context_kept,
                                                scored, &selectable);
  WriteOutput(o, keep, scored, selectable, &result);
  return result;
}

}  // namespace mooscomp
