#include "word_units.h"

#include "unicode.h"
#include "utf8.h"

namespace mooscomp {
namespace {

bool IsIn(char32_t c, std::u32string_view set) { return set.find(c) != std::u32string_view::npos; }

bool IsVisible(char32_t c) { return !(unicode::Properties(c) & unicode::kSpace); }

bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }

bool IsHexDigit(char32_t c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Letters, digits and other symbols (°, €, accents) that make up the body of a unit.
bool IsAtom(char32_t c) {
  if (c < 0x80) return IsAsciiAlnum(c);
  if (unicode::IsSpacelessScript(c)) return false;
  return unicode::IsWordChar(c);
}

// A letter of a script written without spaces (Han, kana, Hangul, Thai), not its punctuation.
bool IsSpacelessLetter(char32_t c) {
  return c >= 0x80 && unicode::IsSpacelessScript(c) &&
         unicode::IsWordChar(c);
}

// Inside a URL or an e-mail address, a letter of any script is part of the unit.
bool IsWideAtom(char32_t c) { return IsAtom(c) || IsSpacelessLetter(c); }

// "·" joins Catalan's "l·l" ("col·lecció").
constexpr std::u32string_view kJoiners = U".,:/\\-_@'\u2019&?=+#~%\u2032\u2033\u2013\u00B7";
constexpr std::u32string_view kPrefixes = U"$#@+-~_\\";
constexpr std::u32string_view kSuffixes = U"%\u2030+#/_\u2032\u2033";
constexpr size_t kMaxSigns = 3;  // prefix or suffix characters: "--x", "C++"
constexpr size_t kMaxBracketed = 4;  // "(A)", "(iv)", "[12]", "(2024)"
constexpr size_t kMaxGeneric = 64;   // code points of a type's arguments "<K, V>"
constexpr size_t kMaxGenericDepth = 4;

// The run decoded into code points with their byte offsets (one past the end last).
struct CodePoints {
  std::u32string cp;
  std::vector<uint32_t> at;

  explicit CodePoints(std::string_view run) {
    size_t pos = 0;
    while (pos < run.size()) {
      at.push_back(static_cast<uint32_t>(pos));
      char32_t c = 0;
      if (!DecodeUtf8(run, &pos, &c)) {  // validated upstream; never merge through junk
        c = 0;
        ++pos;
      }
      cp.push_back(c);
    }
    at.push_back(static_cast<uint32_t>(run.size()));
  }
  size_t size() const { return cp.size(); }
  char32_t operator[](size_t i) const { return i < cp.size() ? cp[i] : 0; }
};

size_t AtomEnd(const CodePoints& s, size_t i) {
  while (i < s.size() && IsAtom(s[i])) ++i;
  return i;
}

// End of the joiner at i ("://", "::" or one joiner character), or i when there is none.
size_t JoinerEnd(const CodePoints& s, size_t i) {
  if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/') return i + 3;
  if (s[i] == ':' && s[i + 1] == ':') return i + 2;  // "ns::Class", "2001:db8::1"
  return i < s.size() && IsIn(s[i], kJoiners) ? i + 1 : i;
}

// End of a bracketed short atom starting at i ("(A)"), or i.
size_t BracketEnd(const CodePoints& s, size_t i) {
  const char32_t open = s[i];
  const char32_t close = open == '(' ? ')' : open == '[' ? ']' : open == '{' ? '}' : 0;
  if (close == 0) return i;
  const size_t end = AtomEnd(s, i + 1);
  const size_t length = end - (i + 1);
  return length > 0 && length <= kMaxBracketed && s[end] == close ? end + 1 : i;
}

// Start of the atom after the prefix signs at i, or i when there is no prefixed atom.
size_t PrefixEnd(const CodePoints& s, size_t i) {
  if (s[i] == ':' && s[i + 1] == ':' && IsAtom(s[i + 2])) return i + 2;  // "::1", "::std"
  if (s[i] == U'\u2013' && IsDigit(s[i + 1])) return i + 1;              // "–5", an en dash as minus
  size_t j = i;
  while (j - i < kMaxSigns && IsIn(s[j], kPrefixes)) ++j;
  if (s[j] == '.' && IsDigit(s[j + 1])) ++j;  // ".5", "-.5"
  return j < s.size() && IsAtom(s[j]) ? j : i;
}

// Characters of a URL after its "://": anything visible but quotes, angle brackets, a
// backtick, a backslash and punctuation outside ASCII ("。", "」", "“"), which end it.
bool IsUrlChar(char32_t c) {
  if (c < 0x80) return c > 0x20 && c < 0x7F && c != '"' && c != '<' && c != '>' && c != '`' && c != '\\';
  return unicode::IsWordChar(c);
}

// End of a URL whose "://" ends at i, as a reader delimits one: up to a character that
// cannot be in it, without trailing ". , : ; ! ? ' *" and closing brackets it does not open
// ("(see https://x.org/a)." ends at "a"; ".../Foo_(bar)" keeps its ")"). Letters of any
// script count ("https://例え.jp/パス"), but not right after an ASCII letter or digit.
// i when nothing follows.
size_t UrlEnd(const CodePoints& s, size_t i) {
  size_t j = i;
  int round = 0, square = 0, curly = 0;  // opened minus closed
  while (j < s.size() && IsUrlChar(s[j])) {
    // Prose in a script without spaces right after the URL ("https://x.org/docsを参照"):
    // such letters start a host label or path segment ("https://例え.jp/パス"), never
    // continue an ASCII one.
    if (j > i && IsSpacelessLetter(s[j]) && IsAsciiAlnum(s[j - 1])) break;
    round += s[j] == '(' ? 1 : s[j] == ')' ? -1 : 0;
    square += s[j] == '[' ? 1 : s[j] == ']' ? -1 : 0;
    curly += s[j] == '{' ? 1 : s[j] == '}' ? -1 : 0;
    ++j;
  }
  for (; j > i; --j) {
    const char32_t c = s[j - 1];
    if (c == ')' && round < 0) {
      ++round;
    } else if (c == ']' && square < 0) {
      ++square;
    } else if (c == '}' && curly < 0) {
      ++curly;
    } else if (!IsIn(c, U".,:;!?'*")) {
      break;
    }
  }
  for (size_t k = i; k < j; ++k) {
    if (IsWideAtom(s[k])) return j;
  }
  return i;
}

// End of a domain starting at i, after the "@" of an e-mail address: labels joined by
// "." (two at least), each a run of letters and digits of one kind, either scripts with
// spaces or scripts without ("例え.jp", "例子.广告"), with inner hyphens; so "例え.jpへ"
// ends before "へ". i when there is no such domain.
size_t DomainEnd(const CodePoints& s, size_t i) {
  size_t j = i, end = i;
  int labels = 0;
  for (;;) {
    if (!IsWideAtom(s[j])) break;
    const bool spaceless = IsSpacelessLetter(s[j]);
    auto same = [&](char32_t c) { return spaceless ? IsSpacelessLetter(c) : IsAtom(c); };
    while (j < s.size() && (same(s[j]) || (s[j] == '-' && same(s[j + 1])))) ++j;
    ++labels;
    end = j;
    if (s[j] != '.' || !IsWideAtom(s[j + 1])) break;
    ++j;
  }
  return labels >= 2 ? end : i;
}

// A measure in feet and inches ends at `end` ("5'11", "5'11.5", "40°26'46"): digits, then
// "'" or "′" right after a digit. Its inches mark '"' or "''" belongs to it.
bool EndsFeetAndInches(const CodePoints& s, size_t begin, size_t end) {
  size_t j = end;
  while (j > begin && IsDigit(s[j - 1])) --j;
  if (j == end) return false;
  if (j > begin + 1 && s[j - 1] == '.' && IsDigit(s[j - 2])) {
    --j;
    while (j > begin && IsDigit(s[j - 1])) --j;
  }
  return j > begin + 1 && (s[j - 1] == '\'' || s[j - 1] == U'\u2032') && IsDigit(s[j - 2]);
}

// End of a type's arguments at i ("<T>", "<K, V>" without spaces, "<std::vector<int>>"),
// right after a name: balanced angle brackets around names, joiners, "," "*" "&" "[" "]",
// starting with a name. i when there are none.
size_t GenericEnd(const CodePoints& s, size_t i) {
  if (s[i] != '<' || !IsAtom(s[i + 1])) return i;
  size_t depth = 0;
  for (size_t j = i; j < s.size() && j - i <= kMaxGeneric; ++j) {
    const char32_t c = s[j];
    if (c == '<') {
      if (++depth > kMaxGenericDepth) return i;
    } else if (c == '>') {
      if (--depth == 0) return j + 1;
    } else if (!IsAtom(c) && !IsIn(c, U":.,_*&[]")) {
      return i;
    }
  }
  return i;
}

// End of the unit whose first atom starts at `atom` (after its prefix, which starts at
// `begin`).
size_t UnitEnd(const CodePoints& s, size_t begin, size_t atom) {
  size_t end = AtomEnd(s, atom);
  bool abbreviation = end - atom == 1 && IsAsciiLetter(s[atom]);  // "e.g.", "U.S."
  bool dotted = false;
  // An IPv6 address so far: hex groups of 1 to 4 digits joined by ":" or "::", with a
  // decimal digit or more than one group ("fe80", "2001:db8"; not a word such as "add").
  bool hex_groups = begin == atom && end - atom <= 4;
  bool hex_address = false;
  for (size_t k = atom; k < end; ++k) {
    hex_groups = hex_groups && IsHexDigit(s[k]);
    hex_address = hex_address || IsDigit(s[k]);
  }
  bool trailing_pair = false;  // an IPv6 address ended by "::" ("fe80::", "2001:db8::/32")
  for (;;) {
    // A type's arguments right after a name ("Class<T>", "vector<int>"), not a number's.
    if (end > atom && !IsDigit(s[atom])) {
      const size_t generic = GenericEnd(s, end);
      if (generic > end) {
        end = generic;
        abbreviation = hex_groups = false;
      }
    }
    const size_t joiner = JoinerEnd(s, end);
    if (joiner == end) break;
    if (joiner == end + 3) {  // "://": the rest of a URL
      const size_t url = UrlEnd(s, joiner);
      if (url > joiner) return url;
      break;
    }
    if (s[end] == '@') {  // an e-mail address's domain, in any script
      const size_t domain = DomainEnd(s, joiner);
      if (domain > joiner) {
        end = domain;
        abbreviation = hex_groups = false;
        dotted = true;
        continue;
      }
    }
    if (!IsAtom(s[joiner])) {
      if (joiner == end + 2 && s[end] == ':' && hex_groups && hex_address && !trailing_pair) {
        trailing_pair = true;
        end = joiner;
        continue;
      }
      break;
    }
    const size_t next = AtomEnd(s, joiner);
    abbreviation = abbreviation && s[end] == '.' && joiner == end + 1 && next - joiner == 1 && IsAsciiLetter(s[joiner]);
    bool hex = s[end] == ':' && next - joiner <= 4 && !trailing_pair;
    for (size_t k = joiner; k < next; ++k) hex = hex && IsHexDigit(s[k]);
    hex_groups = hex_groups && hex;
    hex_address = hex_address || s[end] == ':';
    dotted = true;
    end = next;
  }
  if (abbreviation && dotted && s[end] == '.') return end + 1;
  if (EndsFeetAndInches(s, atom, end)) {  // 5'11" and 5'11''; 40°26'46"N
    const size_t marks = s[end] == '"' ? 1 : s[end] == '\'' && s[end + 1] == '\'' ? 2 : 0;
    if (marks > 0) {
      end += marks;
      if (IsIn(s[end], U"NSEW") && !IsAtom(s[end + 1])) ++end;
      return end;
    }
  }
  const size_t atoms_end = end;
  while (end - atoms_end < kMaxSigns && end < s.size() && IsIn(s[end], kSuffixes)) ++end;
  return end;
}

// End of an e-mail address whose local part, in a script without spaces, starts at i
// ("田中@例え.jp", "홍길동@example.com"), or, when there is none, `*skip`: where the run of
// such letters and inner ". _ - +" from i ends (no address starts inside it either).
size_t SpacelessEmailEnd(const CodePoints& s, size_t i, size_t* skip) {
  size_t k = i;
  for (;;) {
    while (k < s.size() && IsSpacelessLetter(s[k])) ++k;
    if (IsIn(s[k], U"._-+") && IsSpacelessLetter(s[k + 1])) {
      ++k;
      continue;
    }
    break;
  }
  *skip = k;
  if (s[k] != '@') return i;
  const size_t domain = DomainEnd(s, k + 1);
  return domain > k + 1 ? domain : i;
}

// Katakana: Japanese writes a loanword or a foreign name as one run of it ("プロジェクター").
bool IsKatakana(char32_t c) {
  return (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FC || (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9D);
}

bool IsHan(char32_t c) { return unicode::IsHanOrKana(c) && !IsKatakana(c) && !(c >= 0x3040 && c <= 0x309F); }

// The dot between the parts of a foreign name in Chinese ("安娜·伯格") and Japanese
// ("アンナ・ベルク").
bool IsInterpunct(char32_t c) { return c == 0x00B7 || c == 0x30FB || c == 0xFF65 || c == 0x2027; }

// The characters Chinese spells foreign names with (the common ones of the Xinhua
// transliteration tables). A part of a name beside an interpunct is read up to the first
// character outside them ("汤姆·李将在" ends after "李"), kMaxNamePart at most.
constexpr std::u32string_view kTransliteration =
    U"阿埃艾爱安昂奥巴拜班邦保鲍贝本比彼毕宾波伯勃博布查达戴丹道德登迪蒂丁东杜多厄恩尔法范菲费芬丰"
    U"冯夫弗福盖甘冈高戈格贡古哈海汉豪赫黑亨洪胡华惠霍基吉加贾杰金卡凯坎康考柯科克肯库夸奎拉莱赖"
    U"兰朗劳勒雷蕾黎里丽利莉连列林琳隆卢鲁路伦罗洛吕马玛迈麦曼芒梅蒙米密明莫姆穆纳娜南内妮尼纽努"
    U"诺欧帕潘庞佩彭皮珀普齐奇乔琼萨塞桑瑟森沙莎尚舍施什史舒斯松苏索塔泰坦汤唐特滕提汀通图托瓦"
    U"万旺威韦维温沃乌伍西希锡夏谢辛休雅亚扬耶伊因英尤约泽扎詹兹佐娅丝黛";
constexpr size_t kMaxNamePart = 4;

bool IsTransliteration(char32_t c) { return IsIn(c, kTransliteration); }

// Start of the name part that ends at `end` (an interpunct follows), no earlier than
// `begin`: the katakana run, or the Han characters of kTransliteration (at least one). `end`
// when there is none.
size_t NamePartBegin(const CodePoints& s, size_t begin, size_t end) {
  if (end == begin) return end;
  size_t j = end;
  if (IsKatakana(s[end - 1])) {
    while (j > begin && IsKatakana(s[j - 1])) --j;
    return j;
  }
  if (!IsHan(s[end - 1])) return end;
  --j;
  while (j > begin && end - j < kMaxNamePart && IsHan(s[j - 1]) && IsTransliteration(s[j - 1]) &&
         IsTransliteration(s[j])) {
    --j;
  }
  return j;
}

// End of the name part that starts at i, of the kind of `like` (katakana or Han), or i.
size_t NamePartEnd(const CodePoints& s, size_t i, char32_t like) {
  size_t j = i;
  if (IsKatakana(like)) {
    while (j < s.size() && IsKatakana(s[j])) ++j;
    return j;
  }
  // Han parts only around the Chinese dot: Japanese lists Han words with "・" ("東京・大阪").
  if (!IsHan(like) || !IsHan(s[i]) || s[i - 1] == 0x30FB || s[i - 1] == 0xFF65) return i;
  ++j;
  while (j < s.size() && j - i < kMaxNamePart && IsHan(s[j]) && IsTransliteration(s[j]) &&
         IsTransliteration(s[j - 1])) {
    ++j;
  }
  return j;
}

// Units inside the letters [i, end) of a script without spaces, and a foreign name that
// ends them: a run of two katakana or more, and a name's parts joined by interpuncts
// ("安娜·伯格", "マリア・コスタ"). Returns where the scan goes on (after a name, or `end`).
size_t SpacelessUnits(const CodePoints& s, size_t i, size_t end, std::vector<std::pair<uint32_t, uint32_t>>* units) {
  size_t name_begin = end, name_end = end;
  if (IsInterpunct(s[end])) {
    name_begin = NamePartBegin(s, i, end);
    const char32_t like = name_begin < end ? s[end - 1] : 0;
    while (name_begin < end && IsInterpunct(s[name_end])) {
      const size_t part = NamePartEnd(s, name_end + 1, like);
      if (part == name_end + 1) break;
      name_end = part;
    }
    if (name_end == end) name_begin = end;
  }
  for (size_t k = i; k < name_begin;) {
    size_t run = k;
    while (run < name_begin && IsKatakana(s[run])) ++run;
    if (run - k >= 2) units->push_back({s.at[k], s.at[run]});
    k = run > k ? run : k + 1;
  }
  if (name_end > end) {
    units->push_back({s.at[name_begin], s.at[name_end]});
    return name_end;
  }
  return end;
}

}  // namespace

void FindUnits(std::string_view run, std::vector<std::pair<uint32_t, uint32_t>>* units) {
  const CodePoints s(run);
  size_t i = 0;
  while (i < s.size()) {
    size_t end = i;
    if (IsSpacelessLetter(s[i])) {
      size_t skip = i;
      end = SpacelessEmailEnd(s, i, &skip);
      if (end == i) {
        i = SpacelessUnits(s, i, skip, units);
        continue;
      }
    } else {
      end = BracketEnd(s, i);
    }
    if (end == i) {
      const size_t atom = PrefixEnd(s, i);
      if (atom > i || IsAtom(s[i])) end = UnitEnd(s, i, atom);
    }
    if (end == i) {
      ++i;  // not part of a unit: the tokenizer's grouping stays
      continue;
    }
    units->push_back({s.at[i], s.at[end]});
    i = end;
  }
}

bool IsSpacelessName(std::string_view word) {
  const CodePoints s(word);
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    if (IsInterpunct(s[i]) && IsSpacelessLetter(s[i - 1]) && IsSpacelessLetter(s[i + 1])) return true;
  }
  return false;
}

void MergeUnitWords(std::string_view text, size_t first_word, std::vector<WordSpan>* words) {
  std::vector<WordSpan>& w = *words;
  std::vector<std::pair<uint32_t, uint32_t>> units;
  size_t out = first_word;  // words before `out` are final
  size_t run = first_word;
  while (run < w.size()) {
    size_t run_end = run + 1;  // one past the last word touching its predecessor
    while (run_end < w.size() && w[run_end].begin == w[run_end - 1].end) ++run_end;
    const uint32_t base = w[run].begin;
    units.clear();
    if (run_end - run > 1) FindUnits(text.substr(base, w[run_end - 1].end - base), &units);
    // Words join where a unit spans the boundary between them. Boundaries and units both
    // go left to right, so one pass over each; a word may thus join two units
    // ("sqrt((41" between "sqrt" and "41.00-37.00"), and the group is their union.
    size_t u = 0;
    size_t group = run;  // the first word of the current group
    for (size_t i = run; i < run_end; ++i) {
      bool joins_next = false;
      if (i + 1 < run_end) {
        const uint32_t boundary = w[i].end - base;
        while (u < units.size() && units[u].second <= boundary) ++u;
        joins_next = u < units.size() && units[u].first < boundary;
      }
      if (joins_next) continue;
      if (i > group && w[i].token_end - w[group].token_begin <= kMaxUnitTokens) {
        WordSpan merged = w[group];
        merged.end = w[i].end;
        merged.token_end = w[i].token_end;
        w[out++] = merged;
      } else {
        for (size_t k = group; k <= i; ++k) w[out++] = w[k];
      }
      group = i + 1;
    }
    run = run_end;
  }
  w.resize(out);
}

bool SpacelessSplitter::StartsWord(std::string_view token_text, bool starts_word) {
  char32_t first = 0, last = 0;
  bool visible = false;
  size_t pos = 0;
  while (pos < token_text.size()) {
    char32_t c = 0;
    if (!DecodeUtf8(token_text, &pos, &c)) {
      ++pos;
      continue;
    }
    if (!IsVisible(c)) continue;
    if (!visible) first = c;
    last = c;
    visible = true;
  }
  // A token that starts with a combining mark (Thai "็", a Devanagari vowel sign) stays with
  // the character it marks, whatever the tokenizer says: split there, a budget could keep the
  // mark alone.
  const bool mark = visible && word_visible_ && unicode::IsMark(first);
  const bool split = !mark && (starts_word || (visible && word_visible_ &&
                                               (last_spaceless_ || unicode::IsSpacelessScript(first))));
  if (split) word_visible_ = last_spaceless_ = false;
  if (visible) {
    word_visible_ = true;
    last_spaceless_ = unicode::IsSpacelessScript(last);
  }
  return split;
}

}  // namespace mooscomp
