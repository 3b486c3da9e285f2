#include "structure_marks.h"

#include <algorithm>
#include <unordered_map>

#include "json_marks.h"
#include "utf8.h"

namespace mooscomp {
namespace {

constexpr size_t kMaxYamlKey = 40;
constexpr size_t kMaxOpenBrackets = 16;
constexpr size_t kMaxHeadingWords = 8;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsBlank(char c) { return c == ' ' || c == '\t'; }

size_t RunLength(std::string_view s, size_t at, char c) {
  size_t n = 0;
  while (at + n < s.size() && s[at + n] == c) ++n;
  return n;
}

bool OnlyBlanks(std::string_view s, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) {
    if (!IsBlank(s[i]) && s[i] != '\r') return false;
  }
  return true;
}

// A delimiter row of a table: only | - : and blanks, with a pipe and a run of 3 dashes.
bool IsTableDelimiterRow(std::string_view line) {
  bool pipe = false;
  for (char c : line) {
    if (c == '|') {
      pipe = true;
    } else if (c != '-' && c != ':' && !IsBlank(c) && c != '\r') {
      return false;
    }
  }
  return pipe && line.find("---") != std::string_view::npos;
}

// The length of a multiple-choice option's label at `p` ("(A)", "(b)", "(12)", "A)", "a)")
// followed by a blank, or 0: the answer "(B)" must keep referring to a line. "A." is left
// out: at a line start it is as often an initial ("J. Smith").
size_t OptionLabel(std::string_view line, size_t p) {
  const size_t open = p < line.size() && line[p] == '(' ? 1 : 0;
  size_t n = 0;
  if (p + open < line.size() && IsAsciiLetter(static_cast<unsigned char>(line[p + open]))) {
    n = 1;
  } else {
    while (n < 3 && p + open + n < line.size() && IsDigit(line[p + open + n])) ++n;
    if (open == 0 || n > 2) return 0;  // "3)" is a numbered list's
  }
  const size_t close = p + open + n;
  if (n == 0 || close + 1 >= line.size() || line[close] != ')' || !IsBlank(line[close + 1])) return 0;
  return open + n + 1;
}

class LineScanner {
 public:
  explicit LineScanner(std::string_view text, Structure* out) : text_(text), out_(out) {}

  void Run() {
    auto line_end = [&](size_t from) { return std::min(text_.find('\n', from), text_.size()); };
    after_blank_ = true;  // the text's first line stands after nothing
    for (size_t line = 0, end = line_end(0); line < text_.size(); line = end + 1, end = line_end(line)) {
      before_text_ = end < text_.size() && !OnlyBlanks(text_, end + 1, line_end(end + 1));
      Line(line, end);
      after_blank_ = OnlyBlanks(text_, line, end);
    }
  }

 private:
  void Mark(size_t begin, size_t end, MarkKind kind) {
    marks_.push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(end), kind});
  }

  // The whole line without its indentation and trailing blanks.
  void MarkLine(size_t begin, size_t end) {
    while (begin < end && IsBlank(text_[begin])) ++begin;
    while (end > begin && (IsBlank(text_[end - 1]) || text_[end - 1] == '\r')) --end;
    if (begin < end) Mark(begin, end, MarkKind::kKeep);
  }

  void Line(size_t begin, size_t end) {
    marks_.clear();
    const std::string_view line = text_.substr(begin, end - begin);
    size_t p = 0;
    while (p < line.size() && p < 3 && line[p] == ' ') ++p;
    const char c = p < line.size() ? line[p] : '\0';
    const size_t run = (c == '`' || c == '~') ? RunLength(line, p, c) : 0;
    if (fence_len_ > 0) {  // inside a fence: only its closing fence counts
      if (c == fence_char_ && run >= fence_len_ && OnlyBlanks(line, p + run, line.size())) {
        fence_len_ = 0;
        MarkLine(begin, end);
      }
      Flush();
      return;
    }
    if (run >= 3 && (c == '~' || line.find('`', p + run) == std::string_view::npos)) {
      fence_char_ = c;
      fence_len_ = run;
      MarkLine(begin, end);
      Flush();
      return;
    }
    if (IsTableDelimiterRow(line)) {
      MarkLine(begin, end);
      Flush();
      return;
    }
    const size_t markers_at = p;
    const size_t hashes = RunLength(line, p, '#');
    p = LineMarkers(line, p, begin);
    const bool atx = hashes >= 1 && p == markers_at + hashes;  // a "#" heading
    if (atx || (p == markers_at && after_blank_ && before_text_)) HeadingNumbers(line, p, begin, atx);
    Inline(line, p, begin, c == '|');
    Flush();
  }

  // The numbers of a heading ("Section 7: Safety", "Invoice 918", "## 3.2 Results") are kept:
  // they are how the text and its reader refer to the section. A heading is a "#" line, or a
  // title line: after a blank line or the text's start, before a line of text, no marker,
  // at most kMaxHeadingWords words, starting with a letter or digit, no code or markup signs,
  // not ending like a sentence or a lead-in (". , ; : ! ?").
  // A number here is an ASCII run of digits with the letters and inner . , : / - around it
  // ("5B", "3.1", "v2"): in "第14次会议" only "14". Lines with inline code or links are left
  // to Inline (marks must not overlap).
  void HeadingNumbers(std::string_view line, size_t p, size_t base, bool atx) {
    size_t end = line.size();
    while (end > p && (IsBlank(line[end - 1]) || line[end - 1] == '\r')) --end;
    if (end == p || line.find_first_of("`[|", p) != std::string_view::npos) return;
    if (!atx) {
      // Words first, no code or markup ("{\"a\": 1}", "x = 2", "<b>3</b>").
      if (!(IsAsciiAlnum(static_cast<unsigned char>(line[p])) || static_cast<unsigned char>(line[p]) >= 0x80) ||
          line.find_first_of("{}<>=", p) != std::string_view::npos) {
        return;
      }
      if (std::string_view(".,;:!?").find(line[end - 1]) != std::string_view::npos) return;
      const std::string_view tail = line.substr(0, end);
      for (std::string_view stop : {"\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F", "\xEF\xBC\x9A", "\xEF\xBC\x8C"}) {
        if (tail.size() >= stop.size() && tail.substr(tail.size() - stop.size()) == stop) return;  // 。！？：，
      }
      size_t words = 0;
      for (size_t i = p; i < end; ++i) words += !IsBlank(line[i]) && (i == p || IsBlank(line[i - 1]));
      if (words > kMaxHeadingWords) return;
    }
    auto alnum = [&](size_t i) { return i < end && IsAsciiAlnum(static_cast<unsigned char>(line[i])); };
    for (size_t i = p; i < end; ++i) {
      if (!IsDigit(line[i])) continue;
      size_t first = i;
      while (first > p && IsAsciiLetter(static_cast<unsigned char>(line[first - 1]))) --first;
      size_t last = i;
      while (alnum(last) || (last + 1 < end && std::string_view(".,:/-").find(line[last]) != std::string_view::npos &&
                             last > i && alnum(last + 1))) {
        ++last;
      }
      Mark(base + first, base + last, MarkKind::kKeep);
      i = last;
    }
  }

  // Heading, quote, bullet or number marker, then a YAML key; returns where text starts.
  size_t LineMarkers(std::string_view line, size_t p, size_t base) {
    auto followed_by_blank = [&](size_t at) { return at >= line.size() || IsBlank(line[at]) || line[at] == '\r'; };
    const size_t hashes = RunLength(line, p, '#');
    if (hashes >= 1 && hashes <= 6 && followed_by_blank(p + hashes)) {
      Mark(base + p, base + p + hashes, MarkKind::kLine);
      return p + hashes;
    }
    if (p < line.size() && line[p] == '>' && followed_by_blank(p + 1)) {
      Mark(base + p, base + p + 1, MarkKind::kLine);
      p += 1;
      while (p < line.size() && IsBlank(line[p])) ++p;
    }
    if (p < line.size() && (line[p] == '-' || line[p] == '*' || line[p] == '+') && p + 1 < line.size() &&
        IsBlank(line[p + 1])) {
      Mark(base + p, base + p + 1, MarkKind::kLine);
      p += 2;
    } else if (const size_t label = OptionLabel(line, p); label > 0) {
      // A label like "key:", not a marker: kept with its line's words, or alone when its own
      // score is high enough (the answer "(B)" names it even when the option's words go).
      Mark(base + p, base + p + label, MarkKind::kLabel);
      p += label + 1;
    } else {
      size_t digits = 0;
      while (p + digits < line.size() && digits < 10 && IsDigit(line[p + digits])) ++digits;
      if (digits >= 1 && digits <= 9 && p + digits < line.size() && (line[p + digits] == '.' || line[p + digits] == ')') &&
          p + digits + 1 < line.size() && IsBlank(line[p + digits + 1])) {
        Mark(base + p, base + p + digits + 1, MarkKind::kLine);
        p += digits + 2;
      }
    }
    while (p < line.size() && IsBlank(line[p])) ++p;
    // A YAML key ("name:", "max_len:"): lower case first, as keys are written. A capitalised
    // label ("Note:", a speaker's "Marcus:") is prose, left to the model: marked, labels took
    // the budget of names in meeting transcripts (QMSum names at 5x 0.81 -> 0.68).
    size_t k = p;
    if (k < line.size() && ((line[k] >= 'a' && line[k] <= 'z') || line[k] == '_')) {
      while (k < line.size() && k - p <= kMaxYamlKey && (IsAsciiAlnum(line[k]) || line[k] == '_' || line[k] == '-' || line[k] == '.')) ++k;
      if (k < line.size() && line[k] == ':' && k - p <= kMaxYamlKey && followed_by_blank(k + 1)) {
        Mark(base + p, base + k + 1, MarkKind::kLabel);
        return k + 1;
      }
    }
    return p;
  }

  // Inline code spans, links and (in a table row) pipes, from `p` to the end of the line.
  void Inline(std::string_view line, size_t p, size_t base, bool table) {
    // Backtick runs and, for each, the next run of the same length (its closer).
    runs_.clear();
    for (size_t i = p; i < line.size();) {
      if (line[i] != '`') { ++i; continue; }
      const size_t n = RunLength(line, i, '`');
      runs_.push_back({i, n, SIZE_MAX});
      i += n;
    }
    next_of_length_.clear();
    for (size_t r = runs_.size(); r-- > 0;) {
      auto it = next_of_length_.find(runs_[r].len);
      if (it != next_of_length_.end()) runs_[r].closer = it->second;
      next_of_length_[runs_[r].len] = r;
    }
    size_t next_run = 0;
    open_brackets_.clear();
    for (size_t i = p; i < line.size(); ++i) {
      const char c = line[i];
      if (c == '`') {
        while (next_run < runs_.size() && runs_[next_run].pos < i) ++next_run;
        const BacktickRun& r = runs_[next_run];
        if (r.closer != SIZE_MAX) {
          const BacktickRun& close = runs_[r.closer];
          Mark(base + r.pos, base + close.pos + close.len, MarkKind::kKeep);
          i = close.pos + close.len - 1;
          next_run = r.closer + 1;
        } else {
          i = r.pos + r.len - 1;
          ++next_run;
        }
      } else if (c == '|' && table) {
        Mark(base + i, base + i + 1, MarkKind::kKeep);
      } else if (c == '[') {
        if (open_brackets_.size() < kMaxOpenBrackets) open_brackets_.push_back(i);
      } else if (c == ']' && !open_brackets_.empty()) {
        size_t open = open_brackets_.back();
        open_brackets_.pop_back();
        if (i + 1 < line.size() && line[i + 1] == '(') {
          size_t close = i + 2;
          while (close < line.size() && line[close] != ')' && !IsBlank(line[close])) ++close;
          if (close < line.size() && line[close] == ')') {
            if (open > 0 && line[open - 1] == '!') --open;  // an image
            out_->links.push_back({static_cast<uint32_t>(base + open), static_cast<uint32_t>(base + close + 1)});
            open_brackets_.clear();
            i = close;
          }
        }
      }
    }
  }

  void Flush() {
    std::sort(marks_.begin(), marks_.end(), [](const StructureMark& a, const StructureMark& b) { return a.begin < b.begin; });
    out_->marks.insert(out_->marks.end(), marks_.begin(), marks_.end());
  }

  struct BacktickRun {
    size_t pos, len, closer;
  };

  std::string_view text_;
  Structure* out_;
  std::vector<StructureMark> marks_;  // of the current line
  std::vector<BacktickRun> runs_;
  std::unordered_map<size_t, size_t> next_of_length_;
  std::vector<size_t> open_brackets_;
  char fence_char_ = 0;
  size_t fence_len_ = 0;  // 0: not inside a fence
  bool after_blank_ = true;   // the line before the current one is blank (or there is none)
  bool before_text_ = false;  // the line after the current one has text
};

}  // namespace

Structure FindStructure(std::string_view text) {
  Structure out;
  if (!FindJsonMarks(text, &out.marks)) LineScanner(text, &out).Run();
  return out;
}

}  // namespace mooscomp
