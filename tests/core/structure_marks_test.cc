// Markup found before tokenising: what is forced always, what goes with its line, links.
#include "structure_marks.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mooscomp {
namespace {

using V = std::vector<std::string>;

// Marks as "=text" (always kept), "~text" (kept with its line) or "@text" (a label).
V Marks(std::string_view text) {
  V out;
  for (const StructureMark& m : FindStructure(text).marks) {
    const char* kind = m.kind == MarkKind::kKeep ? "=" : m.kind == MarkKind::kLine ? "~" : "@";
    out.push_back(kind + std::string(text.substr(m.begin, m.end - m.begin)));
  }
  return out;
}

V Links(std::string_view text) {
  V out;
  for (const auto& [b, e] : FindStructure(text).links) out.emplace_back(text.substr(b, e - b));
  return out;
}

TEST(StructureMarksTest, FencesAreKeptAndTheirContentHasNoMarks) {
  EXPECT_EQ(Marks("Fix this:\n```python\n# not a heading\n- x = `y`\n```\nThanks"),
            (V{"=```python", "=```"}));
  EXPECT_EQ(Marks("~~~~\ncode\n~~~\nstill code\n~~~~~\nafter `x`"), (V{"=~~~~", "=~~~~~", "=`x`"}));
  // A fence closed by a shorter run is not closed; an unclosed fence runs to the end.
  EXPECT_EQ(Marks("````\n```\n# code"), (V{"=````"}));
  // Backtick fences take no backticks in the info string: that is inline code.
  EXPECT_EQ(Marks("```a``` b"), (V{"=```a```"}));
}

TEST(StructureMarksTest, LineMarkers) {
  EXPECT_EQ(Marks("# Title\n## Sub title\n####### seven"), (V{"~#", "~##"}));
  EXPECT_EQ(Marks("- one\n* two\n+ three\n12. twelve\n3) three\n> quoted\n-5 degrees"),
            (V{"~-", "~*", "~+", "~12.", "~3)", "~>"}));
  EXPECT_EQ(Marks("name: mooscomp\n  max_len: 512\n- key: v\nhttp://x.org\nNote: fine\nGrad A: prose"),
            (V{"@name:", "@max_len:", "~-", "@key:"}));
}

TEST(StructureMarksTest, HeadingNumbersAreKept) {
  // A title line (after the start or a blank line, before text, short, no sentence end) and
  // a "#" heading keep their numbers, letters and inner punctuation included.
  EXPECT_EQ(Marks("Sitzung Nr. 14\nAnna Berg 3 Tage."), (V{"=14"}));
  EXPECT_EQ(Marks("Intro.\n\nApartment 5B, Version 3.1\nText 7."), (V{"=5B", "=3.1"}));
  EXPECT_EQ(Marks("## 3.2 Results of v2\nText"), (V{"~##", "=3.2", "=v2"}));
  EXPECT_EQ(Marks("\xE7\xAC\xAC" "14" "\xE6\xAC\xA1\n\xE6\x96\x87"), (V{"=14"}));  // 第14次 / 文
  // Not a heading: a sentence, a lead-in, a list item, the last line, a line after text,
  // too many words, a line with inline code.
  EXPECT_EQ(Marks("It costs 5 euros.\nText"), V{});
  EXPECT_EQ(Marks("Add 2 eggs:\nText"), V{});
  EXPECT_EQ(Marks("- 3 eggs\nText"), (V{"~-"}));
  EXPECT_EQ(Marks("Text\nRoom 214"), V{});
  EXPECT_EQ(Marks("Text\nRoom 214\nMore"), V{});
  EXPECT_EQ(Marks("one two three four five six seven 8 nine\nText"), V{});
  EXPECT_EQ(Marks("Run `f 2`\nText"), (V{"=`f 2`"}));
  EXPECT_EQ(Marks("x = 2\nText"), V{});
}

TEST(StructureMarksTest, OptionLabelsAreLabels) {
  EXPECT_EQ(Marks("Options:\n(A) Yes\n(B) No"), (V{"@(A)", "@(B)"}));
  EXPECT_EQ(Marks("A) text\n(b) more\n(12) twelve\nc) last\n  (D) indented"),
            (V{"@A)", "@(b)", "@(12)", "@c)", "@(D)"}));
  // Inside a sentence, without a blank after, or too long: no label. "A." may be an initial.
  EXPECT_EQ(Marks("The answer is (A) here\n(A)x\n(AB) no\n(123) no\nAB) no\n(A)\nA. Smith"), V{});
}

TEST(StructureMarksTest, InlineCodeAndTables) {
  EXPECT_EQ(Marks("Call `f(x)` or ``a ` b`` but not `this"), (V{"=`f(x)`", "=``a ` b``"}));
  EXPECT_EQ(Marks("| a | `b|c` |\n|---|:--:|\n| 1 | 2 |"),
            (V{"=|", "=|", "=`b|c`", "=|", "=|---|:--:|", "=|", "=|", "=|"}));
  EXPECT_EQ(Marks("a | b"), V{});  // a pipe in prose is no table
}

TEST(StructureMarksTest, Links) {
  EXPECT_EQ(Links("See [the docs](https://x.org/a) and ![logo](img.png), not [this] (x)."),
            (V{"[the docs](https://x.org/a)", "![logo](img.png)"}));
  EXPECT_EQ(Links("[a [b](u) c](v)"), (V{"[b](u)"}));
  EXPECT_EQ(Links("[unclosed](http://x y)"), V{});
}

TEST(StructureMarksTest, MarksAreSortedAndDisjoint) {
  const std::string text = "| `a` | [b](c) |\n- `x` `y`\n# h `z`\n";
  const Structure s = FindStructure(text);
  for (size_t i = 1; i < s.marks.size(); ++i) EXPECT_LE(s.marks[i - 1].end, s.marks[i].begin);
}

TEST(StructureMarksTest, JsonDocumentsKeepTheirSyntax) {
  // Syntax, keys, numbers, literals and short strings merge into runs; a long string keeps
  // its quotes and escapes.
  const std::string doc = R"({"id": 7, "tags": ["a", "b"], "ok": true,
  "text": "A long value that is well over forty bytes\nwith an escape.", "n": null})";
  EXPECT_EQ(Marks(doc), (V{R"(={"id": 7, "tags": ["a", "b"], "ok": true,
  "text": ")", "=\\n", R"(=", "n": null})"}));
  EXPECT_EQ(Marks("  [1, 2.5e-3, -0, \"x\"]\n"), (V{"=[1, 2.5e-3, -0, \"x\"]"}));
  // Not JSON (or not one document): markdown rules.
  for (const char* text : {"{\"a\": 1,}", "[1] [2]", "{\"a\": 01}", "[\"\\x\"]", "{\"a\" 1}", "[", "{\"a\": \"tab\there\"}"}) {
    EXPECT_EQ(Marks(text), V{}) << text;
  }
  EXPECT_EQ(Marks("{\"a\": 1}\n- item"), (V{"~-"}));
}

TEST(StructureMarksTest, DeepJsonIsNotRecursive) {
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  EXPECT_EQ(FindStructure(deep).marks.size(), 1u);
}

TEST(StructureMarksTest, LongHostileLinesAreLinear) {
  // Backtick runs of every length, unclosed brackets, pipes: each a single pass.
  std::string text;
  for (int n = 1; n < 400; ++n) text += std::string(n, '`') + " ";
  text += std::string(100000, '[') + std::string(100000, ']') + "\n|" + std::string(100000, '|');
  const Structure s = FindStructure(text);
  EXPECT_GT(s.marks.size(), 100000u);
}

}  // namespace
}  // namespace mooscomp
