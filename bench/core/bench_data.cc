#include "bench_data.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace mooscomp {
namespace bench {
namespace {

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

// The first readable file of `paths`; exits if none (a broken checkout, not a benchmark result).
std::string FirstFile(const std::vector<std::string>& paths, std::string* which) {
  std::string bytes;
  for (const std::string& p : paths) {
    if (ReadFile(p, &bytes)) {
      if (which) *which = p;
      return bytes;
    }
  }
  std::fprintf(stderr, "bench: none of the input files exists (first: %s)\n", paths.front().c_str());
  std::exit(2);
}

const std::string kSource = MOOSCOMP_SOURCE_DIR;
const std::string kShared = MOOSCOMP_SHARED_DATA_DIR;

template <class Load>
const Tokenizer& Cached(std::unique_ptr<Tokenizer>* slot, std::string* source_slot, std::string* source, Load load) {
  if (!*slot) {
    auto r = load(source_slot);
    if (!r.ok()) {
      std::fprintf(stderr, "bench: cannot load a tokenizer: %s\n", r.status().message().c_str());
      std::exit(2);
    }
    *slot = std::move(r).value();
  }
  if (source) *source = *source_slot;
  return **slot;
}

}  // namespace

const std::string& Corpus(size_t bytes) {
  static std::string text;
  static size_t made_for = 0;
  if (made_for == bytes) return text;
  std::string which;
  const std::string source = FirstFile({kShared + "/pretrain/qmsum/val.txt", kSource + "/examples/meeting.txt"}, &which);
  text.clear();
  while (text.size() < bytes) text += source;
  const size_t cut = text.rfind('\n', bytes);
  text.resize(cut == std::string::npos ? bytes : cut + 1);
  made_for = bytes;
  return text;
}

std::string WordPieceVocab(std::string* which) {
  return FirstFile({kShared + "/tokenizers/bert-base-uncased/vocab.txt",
                    kSource + "/tests/core/data/wordpiece_vocab.txt"}, which);
}

const Tokenizer& WordPiece(std::string* source) {
  static std::unique_ptr<Tokenizer> tokenizer;
  static std::string from;
  return Cached(&tokenizer, &from, source,
                [](std::string* which) { return LoadWordPiece(WordPieceVocab(which), WordPieceOptions()); });
}

std::unique_ptr<Tokenizer> NewWordPiece() {
  auto r = LoadWordPiece(WordPieceVocab(nullptr), WordPieceOptions());
  if (!r.ok()) std::exit(2);
  return std::move(r).value();
}

const Tokenizer& SentencePiece(std::string* source) {
  static std::unique_ptr<Tokenizer> tokenizer;
  static std::string from;
  return Cached(&tokenizer, &from, source, [](std::string* which) {
    // The default model's tokenizer once it exists, else the benchmark stand-in, else the fixture's.
    const std::string model = FirstFile({kSource + "/models/default/tokenizer.model",
                                         kSource + "/bench/out/models/default-size/tokenizer.model",
                                         kSource + "/models/fixture/tokenizer.model"}, which);
    return LoadSentencePiece(model, SentencePieceOptions());
  });
}

std::string TextOfTokens(const Tokenizer& tokenizer, uint32_t tokens) {
  const std::string& corpus = Corpus(std::max<size_t>(256 * 1024, size_t{tokens} * 12));
  Encoding enc;
  auto count = [&](size_t bytes) {
    enc.clear();
    if (!tokenizer.Encode(std::string_view(corpus).substr(0, bytes), 0, &enc).ok()) std::exit(2);
    return enc.size();
  };
  size_t lo = 0, hi = corpus.size();  // binary search on the cut, then back to whitespace
  while (lo < hi) {
    const size_t mid = lo + (hi - lo + 1) / 2;
    if (count(mid) <= tokens) lo = mid;
    else hi = mid - 1;
  }
  while (lo > 0 && corpus[lo - 1] != ' ' && corpus[lo - 1] != '\n') --lo;
  return corpus.substr(0, lo);
}

std::vector<float> RandomFloats(size_t n, uint32_t seed) {
  std::vector<float> out(n);
  uint32_t x = seed * 2654435761u + 1;
  auto next = [&x]() {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return static_cast<float>(x) / 4294967296.0f;
  };
  for (float& v : out) v = (next() + next() + next() + next() - 2.0f) * 1.7320508f;
  return out;
}

}  // namespace bench
}  // namespace mooscomp
