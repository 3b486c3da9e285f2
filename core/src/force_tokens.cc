#include "force_tokens.h"

#include <algorithm>

#include "utf8.h"

namespace mooscomp {
namespace {

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

Result<ForceTokenMatcher> ForceTokenMatcher::Create(const std::vector<std::string>& force_tokens) {
  if (force_tokens.size() > kMaxForceTokens) {
    return InvalidArgument("at most " + std::to_string(kMaxForceTokens) + " force tokens, got " +
                           std::to_string(force_tokens.size()));
  }
  ForceTokenMatcher matcher;
  for (size_t i = 0; i < force_tokens.size(); ++i) {
    const std::string& t = force_tokens[i];
    if (t.empty()) return InvalidArgument("force token " + std::to_string(i) + " is empty");
    const size_t bad = FindInvalidUtf8(t);
    if (bad != t.size()) {
      return InvalidUtf8("force token " + std::to_string(i) + " is not valid UTF-8 at byte " + std::to_string(bad));
    }
    matcher.tokens_.push_back(t);
    matcher.by_first_byte_[static_cast<unsigned char>(t[0])].push_back(static_cast<int32_t>(i));
  }
  for (auto& bucket : matcher.by_first_byte_) {
    std::stable_sort(bucket.begin(), bucket.end(), [&](int32_t a, int32_t b) {
      return matcher.tokens_[a].size() > matcher.tokens_[b].size();
    });
  }
  return matcher;
}

void ForceTokenMatcher::FindAll(std::string_view text, std::vector<ForceMatch>* out) const {
  out->clear();
  if (tokens_.empty()) return;
  size_t pos = 0;
  while (pos < text.size()) {
    const auto& bucket = by_first_byte_[static_cast<unsigned char>(text[pos])];
    size_t matched = 0;
    for (const int32_t index : bucket) {
      const std::string& t = tokens_[index];
      if (text.size() - pos < t.size() || text.compare(pos, t.size(), t) != 0) continue;
      const size_t end = pos + t.size();
      if (IsAsciiAlnum(t.front()) && pos > 0 && IsAsciiAlnum(text[pos - 1])) continue;
      if (IsAsciiAlnum(t.back()) && end < text.size() && IsAsciiAlnum(text[end])) continue;
      out->push_back({static_cast<uint32_t>(pos), static_cast<uint32_t>(end), index});
      matched = t.size();
      break;
    }
    pos += matched > 0 ? matched : 1;
  }
}

}  // namespace mooscomp
