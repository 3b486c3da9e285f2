// Meaning bonds (negations, units, dates) and line bonds over the toy tokenizer's words.
#include "word_bonds.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "force_tokens.h"
#include "segmenter.h"
#include "toy_tokenizer.h"

namespace mooscomp {
namespace {

using V = std::vector<std::string>;

struct Segmented {
  std::string text;
  std::vector<WordSpan> words;
};

Segmented Segment(const std::string& text, bool structure = false) {
  Segmented s{text, {}};
  std::vector<ForceMatch> matches;
  if (structure) AddStructureMarks(FindStructure(text).marks, &matches);
  Encoding tokens;
  const Status status = SegmentContext(test::ToyTokenizer(), s.text, matches, &tokens, &s.words);
  EXPECT_TRUE(status.ok()) << status.message();
  return s;
}

// The text of each merged meaning bond, from its first word's start to its last word's end.
V Bonds(const std::string& text, bool structure = false) {
  const Segmented s = Segment(text, structure);
  std::vector<WordBond> bonds;
  FindMeaningBonds(s.text, s.words, 0, static_cast<uint32_t>(s.words.size()), &bonds);
  V out;
  for (const WordBond& b : MergeBonds(bonds, true)) {
    out.push_back(s.text.substr(s.words[b.first].begin, s.words[b.last - 1].end - s.words[b.first].begin));
  }
  EXPECT_TRUE(MergeBonds(bonds, false).empty()) << "meaning bonds are left out when keep_meaning is off";
  return out;
}

TEST(WordBondsTest, NegationsBindToWhatTheyNegate) {
  EXPECT_EQ(Bonds("Please do not mention it to anyone."), (V{"not mention"}));
  EXPECT_EQ(Bonds("We don't eat pork and there are no steep hikes"), (V{"don't eat pork", "no steep hikes"}));
  EXPECT_EQ(Bonds("It is not to be shared, never."), (V{"not to be shared"}));
  EXPECT_EQ(Bonds("Answer: No. Without doubt."), (V{"Without doubt"}));
  EXPECT_EQ(Bonds("Ne pas fumer. Il ne mange pas de porc."), (V{"Ne pas fumer", "ne mange pas"}));
  EXPECT_EQ(Bonds("Bitte nicht stören, kein Zucker"), (V{"nicht stören", "kein Zucker"}));
  EXPECT_EQ(Bonds("Do not mention internal system names"), (V{"not mention internal"}));
  EXPECT_EQ(Bonds("不要吸烟"), (V{"不要吸"}));  // one character a word
  EXPECT_EQ(Bonds("do not\nmention"), V{}) << "a bond never crosses a line";
}

TEST(WordBondsTest, NumbersBindToTheirUnit) {
  EXPECT_EQ(Bonds("Employees get 25 days of leave and 3.5 GB of disk."), (V{"25 days", "3.5 GB"}));
  EXPECT_EQ(Bonds("It cost $4 million dollars, up 12 percent"), (V{"$4 million dollars", "12 percent"}));
  EXPECT_EQ(Bonds("In 2019 the team grew; wait 120 seconds"), (V{"120 seconds"}));
  EXPECT_EQ(Bonds("Version 2, then 3."), V{});
  // Signed numbers, with any sign their unit (word_units.h) takes.
  EXPECT_EQ(Bonds("It fell -5 degrees, then \u22123 degrees, \u20132 points and \u00b11 mm"),
            (V{"-5 degrees", "\u22123 degrees", "\u20132 points", "\u00b11 mm"}));
  EXPECT_EQ(Bonds("Pay \u20ac5 million euros or \u00a33 pounds"), (V{"\u20ac5 million euros", "\u00a33 pounds"}));
}

TEST(WordBondsTest, ComparisonsBindToTheirNumber) {
  // Dropped alone, a comparison leaves another number: "more than 20" -> "20".
  EXPECT_EQ(Bonds("Invite more than 20 people, at least 3 of them, and no more than 10 guests"),
            (V{"more than 20 people", "at least 3", "no more than 10 guests"}));
  EXPECT_EQ(Bonds("Keep x < 5 and y \u2265 18, over 40 years, up to $300"), (V{"< 5", "\u2265 18", "over 40 years", "up to $300"}));
  EXPECT_EQ(Bonds("mindestens 3 Tage, plus de 5 jours, al menos 2"), (V{"mindestens 3 Tage", "plus de 5 jours", "al menos 2"}));
  EXPECT_EQ(Bonds("I picked up 5 apples; better than 4"), (V{"5 apples"}));
  EXPECT_EQ(Bonds("more than\n20"), V{}) << "a bond never crosses a line";
  EXPECT_EQ(Bonds("> 5 apples", true), (V{"5 apples"})) << "a quote's marker is no comparison";
  // After the number or its unit.
  EXPECT_EQ(Bonds("Invite 20 or more people aged 65 years and older, 3 or fewer"),
            (V{"20 or more", "65 years and older", "3 or fewer"}));
  EXPECT_EQ(Bonds("20 or 30 people and more"), (V{"30 people and more"})) << "\"or 30\" compares nothing";
}

TEST(WordBondsTest, ComparisonsWithoutSpaces) {
  // One word per character: the characters before the number, as one text.
  EXPECT_EQ(Bonds("人数超过20人"), (V{"超过20人"}));
  EXPECT_EQ(Bonds("不超过10个，至少3天"), (V{"不超过10个", "至少3天"}));
  EXPECT_EQ(Bonds("少なくとも3人"), (V{"少なくとも3人"}));
  // After the number and its counter, also a counter the lexicon lacks.
  EXPECT_EQ(Bonds("增长18%以上，20名以上，3天以内"), (V{"18%以上", "20名以上", "3天以内"}));
  EXPECT_EQ(Bonds("18歳未満"), (V{"18歳未満"}));
  EXPECT_EQ(Bonds("18歳以下の方"), (V{"18歳以下"}));
  EXPECT_EQ(Bonds("过20人"), (V{"20人"})) << "a character of a comparison is none";
  EXPECT_EQ(Bonds("20多人以上"), (V{"20多人以上"}));
  EXPECT_EQ(Bonds("20年代以来"), (V{"20年"}));
  EXPECT_EQ(Bonds("控制在 1.5 摄氏度之内。"), (V{"1.5 摄氏度之内"}));
  // Approximations: dropped alone, "about 20" says an exact 20.
  EXPECT_EQ(Bonds("about 20 people, nearly 3 km, close to 40"), (V{"about 20 people", "nearly 3 km", "close to 40"}));
  EXPECT_EQ(Bonds("约20人，20人左右，20多人，20余年"), (V{"约20人", "20人左右", "20多人", "20余年"}));
  EXPECT_EQ(Bonds("最近3天"), (V{"3天"})) << "a lone 近 is no approximation";
}

TEST(WordBondsTest, DatesWrittenInWords) {
  EXPECT_EQ(Bonds("We meet on Tuesday 14 March at noon."), (V{"Tuesday 14 March"}));
  EXPECT_EQ(Bonds("Due March 14, 2023 or the 3rd of May"), (V{"March 14, 2023", "3rd of May"}));
  EXPECT_EQ(Bonds("Friday, 21 June 2024"), (V{"Friday, 21 June 2024"}));
  EXPECT_EQ(Bonds("In March we may start; you may go"), V{}) << "a month needs a number";
  EXPECT_EQ(Bonds("Die Sitzung ist am 21. März 2025, dann am 3 . Mai"), (V{"21. März 2025"}))
      << "a German ordinal day's period is part of it, a spaced one is not";
}

TEST(WordBondsTest, NamesHoldTheirLowerCaseLinks) {
  EXPECT_EQ(Bonds("the first ruler of the Kingdom of Hawaii and the University of Toronto"),
            (V{"Kingdom of Hawaii", "University of Toronto"}));
  EXPECT_EQ(Bonds("He was Secretary of the Interior under Charles de Gaulle"),
            (V{"Secretary of the Interior", "Charles de Gaulle"}));
  EXPECT_EQ(Bonds("Most of them came; the city of Paris and Kingdom of\nHawaii"), V{})
      << "both sides capitalised, on one line";
}

TEST(WordBondsTest, CountersAfterANumberInChineseJapaneseKorean) {
  // One word per character (SpacelessSplitter): the counter and the chained parts of a date
  // or a time go with the number.
  EXPECT_EQ(Bonds("推迟到3月14日举行"), (V{"3月14日"}));
  EXPECT_EQ(Bonds("2024年3月14日"), (V{"2024年3月14日"}));
  EXPECT_EQ(Bonds("午後14時30分に"), (V{"14時30分"}));
  EXPECT_EQ(Bonds("下午3点30分见，3点30也行"), (V{"3点30分", "3点30"}));
  EXPECT_EQ(Bonds("１４日に３人"), (V{"１４日", "３人"})) << "fullwidth digits";
  EXPECT_EQ(Bonds("花了3万元买100日元的第3章"), (V{"3万元", "100日元", "第3章"})) << "scales, longest counter, ordinal";
  EXPECT_EQ(Bonds("1小时30分钟"), (V{"1小时30分钟"})) << "a counter of two characters";
  EXPECT_EQ(Bonds("2024년 3월 14일 3명에게"), (V{"2024년 3월 14일", "3명"}));
  // A full date and a time: six words at most, whole parts only.
  EXPECT_EQ(Bonds("2024年3月14日10点5分"), (V{"2024年3月14日", "10点5分"}));
  EXPECT_EQ(Bonds("3天2夜"), (V{"3天"})) << "only parts of a date or a time chain";
  EXPECT_EQ(Bonds("3我们"), V{}) << "a character that is no counter";
  EXPECT_EQ(Bonds("3에서"), V{});
  EXPECT_EQ(Bonds("每月日期和人数"), V{}) << "a counter needs a number";
}

TEST(WordBondsTest, MergeJoinsOverlappingBonds) {
  std::vector<WordBond> bonds = {{5, 7, BondKind::kMeaning}, {0, 2, BondKind::kStructure}, {6, 9, BondKind::kMeaning}};
  const std::vector<WordBond> merged = MergeBonds(bonds, true);
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].first, 0u);
  EXPECT_EQ(merged[0].last, 2u);
  EXPECT_EQ(merged[1].first, 5u);
  EXPECT_EQ(merged[1].last, 9u);
  EXPECT_EQ(MergeBonds(bonds, false).size(), 1u);
}

TEST(WordBondsTest, LineMarkersGoWithTheirLine) {
  const Segmented s = Segment("# Title here\n- dropped item\n- kept item\n-\n", true);
  std::vector<LineBond> bonds;
  AppendLineBonds(s.text, s.words, 0, static_cast<uint32_t>(s.words.size()), &bonds);
  ASSERT_EQ(bonds.size(), 3u);  // "#", "-", "-" ("-" alone on a line is no bullet)
  std::vector<uint8_t> keep(s.words.size(), 1);
  auto word = [&](const std::string& text, int nth = 0) {
    for (uint32_t w = 0; w < s.words.size(); ++w) {
      if (s.text.substr(s.words[w].begin, s.words[w].end - s.words[w].begin) == text && nth-- == 0) return w;
    }
    ADD_FAILURE() << text;
    return 0u;
  };
  keep[word("Title")] = keep[word("here")] = 0;
  keep[word("dropped")] = keep[word("item", 0)] = 0;
  ApplyLineBonds(bonds, s.words, &keep);
  EXPECT_EQ(keep[word("#")], 0);
  EXPECT_EQ(keep[word("-", 0)], 0);
  EXPECT_EQ(keep[word("-", 1)], 1);
}

}  // namespace
}  // namespace mooscomp
