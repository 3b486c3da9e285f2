#include "sentencepiece_charsmap_check.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mooscomp {
namespace {

// Fields of a darts-clone double-array unit, as the library decodes them.
bool HasLeaf(uint32_t unit) { return ((unit >> 8) & 1) != 0; }
uint32_t Value(uint32_t unit) { return unit & ((1u << 31) - 1); }
uint32_t Label(uint32_t unit) { return unit & ((1u << 31) | 0xFFu); }
uint32_t Offset(uint32_t unit) { return (unit >> 10) << ((unit & (1u << 9)) >> 6); }

uint32_t ReadLittleEndian32(const unsigned char* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}

}  // namespace

bool IsSafePrecompiledCharsMap(std::string_view blob) {
  if (blob.empty()) return true;
  if (blob.size() < 4) return false;
  const auto* bytes = reinterpret_cast<const unsigned char*>(blob.data());
  const size_t trie_bytes = ReadLittleEndian32(bytes);
  if (trie_bytes > blob.size() - 4 || trie_bytes % 4 != 0 || trie_bytes == 0) return false;
  const size_t n = trie_bytes / 4;
  const size_t normalized_size = blob.size() - 4 - trie_bytes;

  std::vector<uint32_t> units(n);
  for (size_t i = 0; i < n; ++i) units[i] = ReadLittleEndian32(bytes + 4 + 4 * i);

  // A state is a position p from which the library reads units[p ^ c] for any input byte
  // c, then, on a label match, moves to (p ^ c) ^ offset and may read a leaf value there.
  std::vector<uint8_t> seen(n, 0);
  std::vector<size_t> stack = {static_cast<size_t>(Offset(units[0]))};
  while (!stack.empty()) {
    const size_t pos = stack.back();
    stack.pop_back();
    if ((pos | 0xFFu) >= n) return false;
    if (seen[pos]) continue;
    seen[pos] = 1;
    for (uint32_t c = 0; c < 256; ++c) {
      const size_t child = pos ^ c;
      const uint32_t unit = units[child];
      if (Label(unit) != c) continue;
      const size_t next = child ^ Offset(unit);
      if (next >= n) return false;
      // A leaf's value is an offset into the NUL-separated normalized strings.
      if (HasLeaf(unit) && Value(units[next]) >= normalized_size) return false;
      stack.push_back(next);
    }
  }
  return true;
}

}  // namespace mooscomp
