#include "json_marks.h"

namespace mooscomp {
namespace {

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

class JsonScanner {
 public:
  JsonScanner(std::string_view text, std::vector<StructureMark>* out) : s_(text), out_(out) {}

  bool Run() {
    Skip();
    if (pos_ >= s_.size() || (s_[pos_] != '{' && s_[pos_] != '[')) return false;
    if (!Value()) return false;
    // Containers are closed in Value's loop; anything but whitespace after is not JSON.
    Skip();
    if (pos_ != s_.size() || !stack_.empty()) return false;
    for (const StructureMark& m : marks_) out_->push_back(m);
    return true;
  }

 private:
  // One value, with the containers it opens scanned iteratively.
  bool Value() {
    for (;;) {
      Skip();
      if (pos_ >= s_.size()) return false;
      const char c = s_[pos_];
      if (c == '{' || c == '[') {
        Keep(pos_, pos_ + 1);
        stack_.push_back(c);
        ++pos_;
        Skip();
        if (pos_ < s_.size() && s_[pos_] == (c == '{' ? '}' : ']')) {
          Keep(pos_, pos_ + 1);
          ++pos_;
          stack_.pop_back();
          if (!AfterValue()) return false;
          if (stack_.empty()) return true;
          continue;
        }
        if (c == '{' && !Key()) return false;
        continue;
      }
      if (c == '"') {
        if (!String(false)) return false;
      } else if (c == '-' || IsDigit(c)) {
        if (!Number()) return false;
      } else if (!Literal("true") && !Literal("false") && !Literal("null")) {
        return false;
      }
      if (!AfterValue()) return false;
      if (stack_.empty()) return true;
    }
  }

  // After a value: "," then the next key or value, or the closing brackets.
  bool AfterValue() {
    for (;;) {
      if (stack_.empty()) return true;
      Skip();
      if (pos_ >= s_.size()) return false;
      const char close = stack_.back() == '{' ? '}' : ']';
      if (s_[pos_] == close) {
        Keep(pos_, pos_ + 1);
        ++pos_;
        stack_.pop_back();
        continue;
      }
      if (s_[pos_] != ',') return false;
      Keep(pos_, pos_ + 1);
      ++pos_;
      return stack_.back() == '{' ? Key() : true;
    }
  }

  bool Key() {
    Skip();
    if (pos_ >= s_.size() || s_[pos_] != '"' || !String(true)) return false;
    Skip();
    if (pos_ >= s_.size() || s_[pos_] != ':') return false;
    Keep(pos_, pos_ + 1);
    ++pos_;
    return true;
  }

  // A string at pos_ ('"'): kept whole when it is a key or short; else its quotes and
  // escapes are kept and the text between them is left to the budget.
  bool String(bool key) {
    const size_t begin = pos_++;
    escapes_.clear();
    while (pos_ < s_.size() && s_[pos_] != '"') {
      const auto c = static_cast<unsigned char>(s_[pos_]);
      if (c < 0x20) return false;
      if (c != '\\') {
        ++pos_;
        continue;
      }
      const size_t at = pos_++;
      if (pos_ >= s_.size()) return false;
      const char e = s_[pos_++];
      if (e == 'u') {
        for (int i = 0; i < 4; ++i, ++pos_) {
          if (pos_ >= s_.size() || !IsHex(s_[pos_])) return false;
        }
      } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
        return false;
      }
      escapes_.push_back({static_cast<uint32_t>(at), static_cast<uint32_t>(pos_), MarkKind::kKeep});
    }
    if (pos_ >= s_.size()) return false;
    const size_t end = ++pos_;
    if (key || end - begin - 2 < kJsonCompressibleBytes) {
      Keep(begin, end);
    } else {
      Keep(begin, begin + 1);
      for (const StructureMark& m : escapes_) Keep(m.begin, m.end);
      Keep(end - 1, end);
    }
    return true;
  }

  bool Number() {
    const size_t begin = pos_;
    if (s_[pos_] == '-') ++pos_;
    if (pos_ >= s_.size() || !IsDigit(s_[pos_])) return false;
    if (s_[pos_] == '0') {
      ++pos_;
    } else {
      while (pos_ < s_.size() && IsDigit(s_[pos_])) ++pos_;
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (pos_ >= s_.size() || !IsDigit(s_[pos_])) return false;
      while (pos_ < s_.size() && IsDigit(s_[pos_])) ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (pos_ >= s_.size() || !IsDigit(s_[pos_])) return false;
      while (pos_ < s_.size() && IsDigit(s_[pos_])) ++pos_;
    }
    Keep(begin, pos_);
    return true;
  }

  bool Literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    Keep(pos_, pos_ + word.size());
    pos_ += word.size();
    return true;
  }

  void Skip() {
    while (pos_ < s_.size() && IsJsonSpace(s_[pos_])) ++pos_;
  }

  // A kept span; it joins the previous one when only whitespace lies between them.
  void Keep(size_t begin, size_t end) {
    if (!marks_.empty()) {
      StructureMark& last = marks_.back();
      size_t gap = last.end;
      while (gap < begin && IsJsonSpace(s_[gap])) ++gap;
      if (gap == begin) {
        last.end = static_cast<uint32_t>(end);
        return;
      }
    }
    marks_.push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(end), MarkKind::kKeep});
  }

  std::string_view s_;
  std::vector<StructureMark>* out_;
  std::vector<StructureMark> marks_;
  std::vector<StructureMark> escapes_;
  std::vector<char> stack_;  // open containers: '{' or '['
  size_t pos_ = 0;
};

}  // namespace

bool FindJsonMarks(std::string_view text, std::vector<StructureMark>* marks) {
  return JsonScanner(text, marks).Run();
}

}  // namespace mooscomp
