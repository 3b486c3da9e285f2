// Inputs shared by the core micro-benchmarks: a text corpus, tokenizers and fake model
// outputs. Paths come from the build (MOOSCOMP_SOURCE_DIR, MOOSCOMP_SHARED_DATA_DIR); the
// shared corpus and vocabulary are used when present, the repository's own files otherwise.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mooscomp/tokenizer.h"

namespace mooscomp {
namespace bench {

// About `bytes` of English text (meeting transcripts), cut at a line end.
const std::string& Corpus(size_t bytes = 256 * 1024);

// Tokenizers, loaded once. `source` gets the file used.
const Tokenizer& WordPiece(std::string* source = nullptr);
const Tokenizer& SentencePiece(std::string* source = nullptr);
// A new WordPiece tokenizer over the same vocabulary (for a Compressor to own).
std::unique_ptr<Tokenizer> NewWordPiece();

// The longest prefix of the corpus, cut at whitespace, with at most `tokens` tokens.
std::string TextOfTokens(const Tokenizer& tokenizer, uint32_t tokens);

// Deterministic pseudo-random floats, normal-ish (sum of uniforms), mean 0, std about 1.
std::vector<float> RandomFloats(size_t n, uint32_t seed = 1);

}  // namespace bench
}  // namespace mooscomp
