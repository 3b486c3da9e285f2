// The whole core on fuzz input: options and 1-3 contexts from the bytes, Prepare with the
// fixture model's SentencePiece tokenizer, logits (and hidden states) filled from the bytes
// as raw floats (NaN and inf included), then Select twice (the job's finish: scoring once,
// selecting any number of times) with the drawn options and with a second drawn set. Bad
// options are a status; a selection keeps the documented invariants.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_options.h"
#include "mooscomp/compressor.h"
#include "fuzz_support.h"

using namespace mooscomp;

namespace {

constexpr int kHidden = 4;

const Compressor& FixtureCompressor() {
  static const std::unique_ptr<Compressor> compressor = [] {
    auto tokenizer = LoadSentencePiece(fuzz::ReadFile(MOOSCOMP_SENTENCEPIECE_MODEL), SentencePieceOptions());
    if (!tokenizer.ok()) std::abort();
    ModelSpec spec;
    spec.max_seq_len = 24;  // small windows: many windows and batches from short inputs
    spec.hidden_size = kHidden;
    spec.neg_log_freq.assign(tokenizer.value()->vocab_size(), 0.0f);
    for (size_t i = 0; i < spec.neg_log_freq.size(); ++i) spec.neg_log_freq[i] = 1.0f + static_cast<float>(i % 13);
    spec.hidden_mean.assign(kHidden, 0.1f);
    spec.hidden_std.assign(kHidden, 0.5f);
    spec.hidden_score_mean = 0.8;
    spec.hidden_score_std = 0.2;
    spec.word_rarity_mean = 9.0;
    spec.word_rarity_std = 4.0;
    auto compressor = Compressor::Create(std::move(tokenizer).value(), spec);
    if (!compressor.ok()) std::abort();
    return std::make_unique<Compressor>(std::move(compressor).value());
  }();
  return *compressor;
}

// Floats from the remaining bytes, reused cyclically so every batch gets some.
class FloatSource {
 public:
  explicit FloatSource(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  float Next() {
    if (bytes_.size() < 4) return 0.25f * static_cast<float>(at_++ % 7) - 0.75f;
    uint32_t bits = 0;
    for (int k = 0; k < 4; ++k) bits = (bits << 8) | bytes_[(at_ + k) % bytes_.size()];
    at_ += 4;
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
  }

 private:
  std::vector<uint8_t> bytes_;
  size_t at_ = 0;
};

// A C string literal of `s` (control and non-ASCII bytes escaped), for pasting into a test.
std::string Escaped(const std::string& s) {
  std::string out;
  char buf[8];
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      std::snprintf(buf, sizeof buf, "\\x%02X\"\"", c);
      out += buf;
    }
  }
  return out;
}

// options: the selection's; prepared: the job's (the question and instruction around the output).
void CheckResult(const CompressResult& r, const std::vector<std::string>& contexts, const CompressOptions& options,
                 const PrepareOptions& prepared) {
  if (std::getenv("FUZZ_VERBOSE")) {  // to turn a crash file into a unit test
    for (const std::string& c : contexts) std::printf("context %zu bytes: \"%s\"\n", c.size(), Escaped(c).c_str());
    std::printf("rate %g target %lld threshold %g scope %d drop_consecutive %d outlier %d alpha %g force:",
                options.rate, static_cast<long long>(options.target_tokens), options.threshold,
                static_cast<int>(options.scope), options.drop_consecutive, static_cast<int>(options.outlier), options.alpha);
    for (const std::string& t : options.force_tokens) std::printf(" [%s]", t.c_str());
    std::printf("\nresult: origin %lld compressed %lld [%s]\n", static_cast<long long>(r.origin_tokens),
                static_cast<long long>(r.compressed_tokens), Escaped(r.compressed_prompt).c_str());
  }
  // Token counts are estimates: a kept-word sequence with a separator added can estimate
  // above its original (a control byte, dropped, between "1" and "1"), so bytes are checked:
  // the output is the kept words plus at most one separator each and "\n\n" joints, and the
  // instruction and question whole.
  FUZZ_CHECK(r.compressed_tokens >= 0 && r.origin_tokens >= 0);
  size_t input_bytes = 0;
  for (const std::string& c : contexts) input_bytes += c.size();
  const size_t fixed = prepared.question.size() + prepared.instruction.size() + 4;
  FUZZ_CHECK(r.compressed_prompt.size() <= input_bytes + r.words.size() + 2 * contexts.size() + fixed);
  FUZZ_CHECK(r.context_kept.size() == contexts.size());
  // Each kept context's words appear in its entry of the output list, in order (context_order
  // says which entry: a reorder option moves whole contexts).
  FUZZ_CHECK(r.context_order.size() == r.compressed_prompt_list.size());
  std::vector<int> entry(contexts.size(), -1);
  for (size_t k = 0; k < r.context_order.size(); ++k) {
    FUZZ_CHECK(r.context_order[k] >= 0 && static_cast<size_t>(r.context_order[k]) < contexts.size());
    FUZZ_CHECK(entry[r.context_order[k]] == -1 && r.context_kept[r.context_order[k]]);
    entry[r.context_order[k]] = static_cast<int>(k);
  }
  std::vector<size_t> at(contexts.size(), 0);
  for (const Word& w : r.words) {
    if (!w.keep || !r.context_kept[w.context]) continue;
    FUZZ_CHECK(entry[w.context] >= 0);
    const std::string& out = r.compressed_prompt_list[entry[w.context]];
    const size_t found = out.find(contexts[w.context].substr(w.begin, w.end - w.begin), at[w.context]);
    FUZZ_CHECK(found != std::string::npos);
    at[w.context] = found + (w.end - w.begin);
  }
  for (const Word& w : r.words) {
    FUZZ_CHECK(w.context >= 0 && static_cast<size_t>(w.context) < contexts.size());
    FUZZ_CHECK(w.begin < w.end && w.end <= contexts[w.context].size());
    FUZZ_CHECK(w.begin16 < w.end16 && w.end16 <= w.end);
    FUZZ_CHECK(w.score >= 0.0f && w.score <= 1.0f);  // also false for NaN
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const CompressOptions options = fuzz::AnyOptions(in);
  const CompressOptions again = fuzz::AnyOptions(in);
  std::vector<std::string> contexts(in.ConsumeIntegralInRange<size_t>(1, 3));
  for (std::string& c : contexts) c = in.ConsumeRandomLengthString(400);
  FloatSource floats(in.ConsumeRemainingBytes<uint8_t>());

  auto job = FixtureCompressor().Prepare(contexts, options);
  if (!job.ok()) {
    FUZZ_CHECK(job.status().code() != StatusCode::kInternal);
    return 0;
  }
  for (Batch& b : job.value()->batches()) {
    const size_t cells = static_cast<size_t>(b.rows) * b.seq_len;
    FUZZ_CHECK(b.input_ids.size() == cells && b.attention_mask.size() == cells);
    b.logits.resize(cells * 2);
    for (float& f : b.logits) f = floats.Next();
    if (job.value()->needs_hidden()) {
      b.hidden.resize(cells * kHidden);
      for (float& f : b.hidden) f = floats.Next();
    }
  }
  for (const CompressOptions* select : {&options, &again}) {
    auto result = job.value()->Select(*select);
    if (!result.ok()) {
      FUZZ_CHECK(result.status().code() != StatusCode::kInternal);
      continue;
    }
    CheckResult(result.value(), contexts, *select, options);
  }
  return 0;
}
