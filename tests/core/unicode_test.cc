// The generated Unicode tables, spot-checked against values from the Unicode data files.
#include <gtest/gtest.h>

#include <string>

#include "unicode.h"

namespace mooscomp {
namespace unicode {
namespace {

std::u32string Lower(char32_t cp) {
  char32_t out[3];
  return std::u32string(out, ToLower(cp, out));
}

std::u32string Decompose(char32_t cp) {
  char32_t out[kMaxDecomposition];
  return std::u32string(out, DecomposeCanonical(cp, out));
}

TEST(UnicodeTest, LowerCase) {
  EXPECT_EQ(Lower('A'), U"a");
  EXPECT_EQ(Lower('z'), U"z");
  EXPECT_EQ(Lower(0xC9), U"\u00E9");       // É
  EXPECT_EQ(Lower(0x100), U"\u0101");      // Ā, a run with step 2
  EXPECT_EQ(Lower(0x130), U"i\u0307");     // İ, the one multi-code-point lower case
  EXPECT_EQ(Lower(0x3A3), U"\u03C3");      // Σ without context
  EXPECT_EQ(Lower(0x212A), U"k");          // Kelvin sign
  EXPECT_EQ(Lower(0x10400), U"\U00010428"); // Deseret
  EXPECT_EQ(Lower(0x1E9E), U"\u00DF");     // ẞ
  EXPECT_EQ(Lower(0x4E2D), U"\u4E2D");
}

TEST(UnicodeTest, CanonicalDecomposition) {
  EXPECT_EQ(Decompose('e'), U"e");
  EXPECT_EQ(Decompose(0xE9), U"e\u0301");
  EXPECT_EQ(Decompose(0x1E69), U"s\u0323\u0307");        // recursive, in canonical order
  EXPECT_EQ(Decompose(0x1F82), U"\u03B1\u0313\u0300\u0345");
  EXPECT_EQ(Decompose(0xD55C), U"\u1112\u1161\u11AB");    // 한
  EXPECT_EQ(Decompose(0xAC00), U"\u1100\u1161");          // 가
  EXPECT_EQ(Decompose(0x212B), U"A\u030A");               // Ångström sign
  EXPECT_EQ(Decompose(0xFB01), U"\uFB01");                // ﬁ: compatibility only
  EXPECT_EQ(Decompose(0x2F800), U"\u4E3D");
}

TEST(UnicodeTest, CombiningClass) {
  EXPECT_EQ(CombiningClass('a'), 0);
  EXPECT_EQ(CombiningClass(0x301), 230);
  EXPECT_EQ(CombiningClass(0x316), 220);
  EXPECT_EQ(CombiningClass(0x345), 240);
  EXPECT_EQ(CombiningClass(0x1D165), 216);
}

TEST(UnicodeTest, Properties) {
  EXPECT_EQ(Properties('a'), kCased);
  EXPECT_EQ(Properties('1'), 0);
  EXPECT_EQ(Properties('$'), kPunct);
  EXPECT_EQ(Properties('.'), kPunct | kCaseIgnorable);
  EXPECT_EQ(Properties('\t'), kControl | kSpace);
  EXPECT_EQ(Properties(0x301), kNonspacingMark | kCaseIgnorable | kMark);
  EXPECT_EQ(Properties(0x200D), kControl | kCaseIgnorable);
  EXPECT_EQ(Properties(0xE000), kControl);
  EXPECT_EQ(Properties(0x3000), kSpace);
  EXPECT_EQ(Properties(0x85), kControl);  // NEL: a control, not /\s/
  EXPECT_EQ(Properties(0x3001), kPunct);
  EXPECT_EQ(Properties(0x1F600), 0);
  EXPECT_EQ(Properties(0x10FFFF), 0);
  EXPECT_TRUE(Properties(0x130) & kCased);
}

TEST(UnicodeTest, CombiningMarks) {
  EXPECT_TRUE(IsMark(0x301));    // combining acute (Mn)
  EXPECT_TRUE(IsMark(0xE47));    // Thai maitaikhu (Mn)
  EXPECT_TRUE(IsMark(0xBBE));    // Tamil vowel sign aa (Mc)
  EXPECT_TRUE(IsMark(0x20DD));   // combining enclosing circle (Me)
  EXPECT_FALSE(IsMark('e'));
  EXPECT_FALSE(IsMark(0xE01));   // Thai ko kai, a letter
  EXPECT_FALSE(IsMark(0x200D));  // zero width joiner: a format control
}

TEST(UnicodeTest, LetterOutsideAscii) {
  for (char32_t cp : {U'é', U'Ł', U'Д', U'ж', U'Ω', U'א', U'ع', U'क', U'ि', U'ก', U'ა', U'한', U'会', U'か', U'Ｆ'}) {
    EXPECT_TRUE(IsLetterOutsideAscii(cp)) << cp;
  }
  // Symbols, emoji, punctuation and spaces the vocabulary may lack, and ASCII.
  for (char32_t cp : {U'€', U'≥', U'→', U'©', U'×', U'·', U'।', U'。', U'\u00A0', U'\u200F', U'a', U'7'}) {
    EXPECT_FALSE(IsLetterOutsideAscii(cp)) << cp;
  }
  EXPECT_FALSE(IsLetterOutsideAscii(0x1F600));  // an emoji
}

TEST(UnicodeTest, Capital) {
  for (char32_t cp : {U'A', U'É', U'Д', U'Ω', U'İ'}) EXPECT_TRUE(IsCapital(cp)) << cp;
  for (char32_t cp : {U'a', U'é', U'д', U'7', U'会', U'-'}) EXPECT_FALSE(IsCapital(cp)) << cp;
}

TEST(UnicodeTest, HanOrKana) {
  for (char32_t cp : {U'会', U'議', U'㐀', U'豈', U'あ', U'カ', U'ｶ', U'ㇰ', U'𠀋'}) EXPECT_TRUE(IsHanOrKana(cp)) << cp;
  // Hangul, Thai and CJK punctuation are written without spaces too, but are neither.
  for (char32_t cp : {U'한', U'ก', U'。', U'、', U'a', U'Д', U'३'}) EXPECT_FALSE(IsHanOrKana(cp)) << cp;
}

}  // namespace
}  // namespace unicode
}  // namespace mooscomp
