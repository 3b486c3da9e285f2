// LoadTokenizer: the one place a tokenizer kind picks its loader.
#include <memory>
#include <string_view>

#include "mooscomp/status.h"
#include "mooscomp/tokenizer.h"

namespace mooscomp {

Result<std::unique_ptr<Tokenizer>> LoadTokenizer(std::string_view bytes, const TokenizerSpec& spec) {
  switch (spec.kind) {
    case TokenizerKind::kWordPiece:
      return LoadWordPiece(bytes, spec.wordpiece);
    case TokenizerKind::kSentencePiece:
      return LoadSentencePiece(bytes, spec.sentencepiece);
  }
  return InvalidModel("unknown tokenizer kind (known: wordpiece, sentencepiece)");
}

}  // namespace mooscomp
