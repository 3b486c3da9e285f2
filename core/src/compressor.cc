// The facade: Prepare validates, tokenises, matches force tokens, chunks and batches;
// PreparedJob (prepared_job.cc) scores once the caller has run the batches, then selects.
#include "mooscomp/compressor.h"

#include <limits>

#include "batcher.h"
#include "chunker.h"
#include "force_tokens.h"
#include "prepared_job.h"
#include "question_relevance.h"
#include "options_check.h"
#include "segmenter.h"
#include "sentences.h"
#include "structure_marks.h"
#include "word_bonds.h"
#include "utf8.h"

namespace mooscomp {

struct Compressor::Impl {
  std::unique_ptr<Tokenizer> tokenizer;
  std::shared_ptr<const ModelSpec> spec;
};

Result<Compressor> Compressor::Create(std::unique_ptr<Tokenizer> tokenizer, ModelSpec spec) {
  if (!tokenizer) return InvalidState("the compressor has no tokenizer");
  MOOSCOMP_RETURN_IF_ERROR(CheckModelSpec(spec, tokenizer->vocab_size()));
  return Compressor(std::unique_ptr<Impl>(new Impl{std::move(tokenizer), std::make_shared<const ModelSpec>(std::move(spec))}));
}

Compressor::Compressor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Compressor::~Compressor() = default;
Compressor::Compressor(Compressor&&) noexcept = default;
Compressor& Compressor::operator=(Compressor&&) noexcept = default;

const Tokenizer& Compressor::tokenizer() const { return *impl_->tokenizer; }
const ModelSpec& Compressor::spec() const { return *impl_->spec; }

std::vector<OutlierKind> Compressor::supported_outliers() const { return SupportedOutliers(*impl_->spec); }

Result<std::unique_ptr<Job>> Compressor::Prepare(const std::vector<std::string>& contexts,
                                                 const CompressOptions& options) const {
  MOOSCOMP_RETURN_IF_ERROR(CheckSelectOptions(options, contexts.size()));
  PrepareOptions prepare = options;
  if (!(options.alpha < 1.0)) prepare.outlier = OutlierKind::kNone;
  return Prepare(contexts, prepare);
}

Result<std::unique_ptr<Job>> Compressor::Prepare(const std::vector<std::string>& contexts,
                                                 const PrepareOptions& options) const {
  if (!impl_) return InvalidState("the compressor was moved from");
  const Tokenizer& tokenizer = *impl_->tokenizer;
  MOOSCOMP_RETURN_IF_ERROR(CheckPrepareOptions(options, *impl_->spec));
  MOOSCOMP_ASSIGN_OR_RETURN(auto matcher, ForceTokenMatcher::Create(options.force_tokens));
  for (size_t c = 0; c < contexts.size(); ++c) {
    if (contexts[c].size() >= std::numeric_limits<uint32_t>::max()) {
      return InvalidArgument("context " + std::to_string(c) + " is larger than 4 GiB");
    }
    const size_t bad = FindInvalidUtf8(contexts[c]);
    if (bad != contexts[c].size()) {
      return InvalidUtf8("context " + std::to_string(c) + " is not valid UTF-8 at byte " + std::to_string(bad));
    }
  }

  JobState s;
  s.spec = impl_->spec;
  s.unk_id = tokenizer.unk_id();
  s.options = options;
  s.contexts = contexts;
  s.needs_hidden = NeedsHidden(options);
  s.context_token_begin.push_back(0);
  s.context_word_begin.push_back(0);
  std::vector<ForceMatch> matches;
  std::vector<WordBond> bonds;
  for (const std::string& text : s.contexts) {
    matcher.FindAll(text, &matches);
    Structure structure;
    if (options.keep_structure) {
      structure = FindStructure(text);
      AddStructureMarks(structure.marks, &matches);
    }
    const auto first_word = static_cast<uint32_t>(s.words.size());
    MOOSCOMP_RETURN_IF_ERROR(SegmentContext(tokenizer, text, matches, &s.tokens, &s.words));
    if (s.tokens.size() >= std::numeric_limits<uint32_t>::max()) return InvalidArgument("too many tokens");
    const auto end_word = static_cast<uint32_t>(s.words.size());
    FindMeaningBonds(text, s.words, first_word, end_word, &bonds);
    AppendSpanBonds(structure.links, s.words, first_word, end_word, &bonds);
    AppendLineBonds(text, s.words, first_word, end_word, &s.line_bonds);
    AppendSentenceStarts(text, s.words, first_word, end_word, &s.sentence_starts);
    s.context_token_begin.push_back(static_cast<uint32_t>(s.tokens.size()));
    s.context_word_begin.push_back(end_word);
  }

  s.sentence_starts.push_back(static_cast<uint32_t>(s.words.size()));
  s.bonds = MergeBonds(bonds, true);
  s.structure_bonds = MergeBonds(bonds, false);

  const uint32_t limit = static_cast<uint32_t>(impl_->spec->max_seq_len - 2);
  std::vector<uint8_t> scratch;
  for (size_t c = 0; c < s.contexts.size(); ++c) {
    ChunkInput in;
    in.context = static_cast<int32_t>(c);
    in.text = s.contexts[c];
    in.tokens = &s.tokens;
    in.words = &s.words;
    in.word_begin = s.context_word_begin[c];
    in.word_end = s.context_word_begin[c + 1];
    in.token_begin = s.context_token_begin[c];
    in.token_end = s.context_token_begin[c + 1];
    ChunkContext(in, options.chunk_end_tokens, limit, &scratch, &s.windows);
  }
  if (!options.question.empty()) {
    Encoding question_tokens;
    std::vector<WordSpan> question_words;
    MOOSCOMP_RETURN_IF_ERROR(SegmentContext(tokenizer, options.question, {}, &question_tokens, &question_words));
    const QuestionTerms terms = FindQuestionTerms(options.question, question_tokens, question_words, *impl_->spec);
    s.has_question_terms = !terms.empty();
    s.question = ScoreAgainstQuestion(terms, {&s.contexts, &s.tokens, &s.words, &s.context_word_begin, &s.windows, impl_->spec.get()});
  }
  BuildBatches(s.tokens, s.windows, tokenizer, options.max_batch_size, &s.batches, &s.slots);
  for (const Batch& b : s.batches) s.shapes.push_back({b.rows, b.seq_len});
  return std::unique_ptr<Job>(new PreparedJob(std::move(s)));
}

}  // namespace mooscomp
