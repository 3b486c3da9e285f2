// Bounds check for a SentencePiece normaliser blob ("precompiled_charsmap").
//
// The library trusts this blob: its double-array trie is walked without bounds checks
// at encode time, so a corrupt model could make it read outside the buffer. We walk every
// reachable trie state once at load time and reject the model if any read the library
// could make would fall outside the trie, or any rule points outside the output strings.
#pragma once

#include <string_view>

namespace mooscomp {

// Layout: <uint32 little-endian trie byte size><trie units (uint32 each)><normalized strings>.
// An empty blob (no normalisation) is valid.
bool IsSafePrecompiledCharsMap(std::string_view blob);

}  // namespace mooscomp
