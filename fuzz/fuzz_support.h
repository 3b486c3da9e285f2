// Shared by the fuzz targets: the test models' bytes and a valid-UTF-8 view of fuzz input.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>

#include "mooscomp/tokenizer.h"
#include "utf8.h"

namespace mooscomp {
namespace fuzz {

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.empty()) std::abort();  // a missing model is a setup error, not a finding
  return bytes;
}

// The longest valid UTF-8 prefix: the tokenisers take text the caller has validated.
inline std::string_view ValidPrefix(std::string_view text) {
  return text.substr(0, FindInvalidUtf8(text));
}

// Built once per process; the fuzz loop reuses them.
inline const Tokenizer& WordPiece() {
  static const std::unique_ptr<Tokenizer> tokenizer = [] {
    auto r = LoadWordPiece(ReadFile(MOOSCOMP_WORDPIECE_VOCAB), WordPieceOptions());
    if (!r.ok()) std::abort();
    return std::move(r).value();
  }();
  return *tokenizer;
}

inline const Tokenizer& SentencePiece() {
  static const std::unique_ptr<Tokenizer> tokenizer = [] {
    auto r = LoadSentencePiece(ReadFile(MOOSCOMP_SENTENCEPIECE_MODEL), SentencePieceOptions());
    if (!r.ok()) std::abort();
    return std::move(r).value();
  }();
  return *tokenizer;
}

// Crashes (a finding) when an invariant the core promises does not hold.
#define FUZZ_CHECK(cond)                                                            \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fflush(stdout);                                                          \
      std::fprintf(stderr, "FUZZ_CHECK failed: %s at %s:%d\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                 \
    }                                                                               \
  } while (0)

}  // namespace fuzz
}  // namespace mooscomp
