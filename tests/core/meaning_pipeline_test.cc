// Through the whole pipeline with a fake classifier that scores the meaning words low: bonds
// keep a negation, a unit, a date with their words, markup stays well-formed, and both
// switches (keep_meaning, keep_structure) bring back the old behaviour.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "json_marks.h"
#include "model_runner.h"
#include "mooscomp/compressor.h"
#include "toy_tokenizer.h"

namespace mooscomp {
namespace {

using test::ToyTokenizer;

// Preserve probability by token text; everything else 0.1.
std::string Compress(const std::string& text, const std::map<std::string, float>& probs, CompressOptions o) {
  Compressor c = Compressor::Create(std::make_unique<ToyTokenizer>(16), ModelSpec()).value();
  auto job = c.Prepare({text}, o);
  EXPECT_TRUE(job.ok()) << job.status().message();
  if (!job.ok()) return "";
  std::map<int64_t, float> by_id;
  for (const auto& [t, p] : probs) by_id[ToyTokenizer::IdOf(t)] = p;
  test::RunFakeModel(job.value().get(), 0, [&](int64_t id) {
    auto it = by_id.find(id);
    return it == by_id.end() ? 0.1f : it->second;
  });
  auto result = job.value()->Select(o);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? result.value().compressed_prompt : "";
}

CompressOptions Rate(double rate, bool meaning = true, bool structure = true) {
  CompressOptions o;
  o.rate = rate;
  o.keep_meaning = meaning;
  o.keep_structure = structure;
  o.keep_every_sentence = false;  // the budget alone: these lines are its sentences
  return o;
}

TEST(MeaningPipelineTest, NegationsUnitsAndDatesStayWithTheirWords) {
  const std::map<std::string, float> p = {{"draft", 0.9f}, {"mention", 0.9f}, {"names", 0.8f}, {"25", 0.95f},
                                          {"14", 0.95f}, {"leave", 0.7f}};
  const std::string text = "Please draft the email and do not mention system names. You get 25 days of leave from 14 March on.";
  const std::string split = Compress(text, p, Rate(0.5, false));
  EXPECT_NE(split.find("mention"), std::string::npos) << split;
  EXPECT_EQ(split.find("not"), std::string::npos) << "the classifier alone drops the negation: " << split;
  EXPECT_EQ(split.find("days"), std::string::npos) << split;
  const std::string kept = Compress(text, p, Rate(0.5));
  EXPECT_NE(kept.find("not mention"), std::string::npos) << kept;
  EXPECT_NE(kept.find("25 days"), std::string::npos) << kept;
  EXPECT_NE(kept.find("14 March"), std::string::npos) << kept;
}

TEST(MeaningPipelineTest, ADateWithoutSpacesStaysWhole) {
  // One word per character: the classifier alone keeps "14" and "30" without their counters.
  const std::map<std::string, float> p = {{"会", 0.9f}, {"议", 0.9f}, {"14", 0.95f}, {"30", 0.95f}, {"举", 0.8f},
                                          {"行", 0.8f}};
  const std::string text = "会议推迟到3月14日下午3点30分在北京举行";
  const std::string split = Compress(text, p, Rate(0.5, false));
  EXPECT_NE(split.find("14"), std::string::npos) << split;
  EXPECT_EQ(split.find("3月14日"), std::string::npos) << split;
  const std::string kept = Compress(text, p, Rate(0.5));
  EXPECT_NE(kept.find("3月14日"), std::string::npos) << kept;
  EXPECT_NE(kept.find("3点30分"), std::string::npos) << kept;
}

TEST(MeaningPipelineTest, MarkupStaysWellFormed) {
  const std::string text =
      "# Report title\n\nRead `config.yaml` first:\n\n```python\ndef f(x):\n    return x\n```\n\n"
      "| name | value |\n|------|-------|\n| alpha | beta |\n\n- first point here\n- second point kept\n"
      "See [the guide](https://x.org/guide) now.";
  const std::map<std::string, float> p = {{"second", 0.9f}, {"point", 0.6f}, {"Read", 0.9f}, {"guide", 0.9f}};
  const std::string out = Compress(text, p, Rate(0.8));
  EXPECT_NE(out.find("```python\n"), std::string::npos) << "a fence line stays a line: " << out;
  EXPECT_NE(out.find("\n```\n"), std::string::npos) << out;
  EXPECT_NE(out.find("`config.yaml`"), std::string::npos) << out;
  EXPECT_NE(out.find("|------|-------|"), std::string::npos) << out;
  EXPECT_NE(out.find("[the guide](https://x.org/guide)"), std::string::npos) << out;
  EXPECT_NE(out.find("- second point"), std::string::npos) << out;
  EXPECT_EQ(out.find("#"), std::string::npos) << "a heading whose words are dropped leaves no marker: " << out;
  EXPECT_EQ(out.find("- first"), std::string::npos) << out;
  EXPECT_EQ(out.find("-\n"), std::string::npos) << "no empty bullet: " << out;

  const std::string prose = Compress(text, p, Rate(0.8, true, false));
  EXPECT_EQ(prose.find("```python"), std::string::npos) << "without keep_structure fences are prose: " << prose;
}

TEST(MeaningPipelineTest, AHeadingKeepsItsNumber) {
  // The classifier scores the headings' numbers low; a title line and a "#" heading keep them.
  const std::string text =
      "Invoice 918\nThe translation work for the new manual was billed for twelve hours in total last week.\n\n"
      "## Part 2\nPay the whole sum within thirty days of the date on this invoice, please.";
  const std::map<std::string, float> p = {{"Invoice", 0.9f}, {"translation", 0.85f}, {"billed", 0.8f},
                                          {"Pay", 0.9f}, {"thirty", 0.85f}, {"days", 0.8f}};
  const std::string out = Compress(text, p, Rate(0.3));
  EXPECT_NE(out.find("Invoice 918\n"), std::string::npos) << out;
  EXPECT_NE(out.find("## 2\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Pay"), std::string::npos) << out;
  const std::string prose = Compress(text, p, Rate(0.3, true, false));
  EXPECT_EQ(prose.find("918"), std::string::npos) << "without keep_structure the classifier decides: " << prose;
  EXPECT_EQ(prose.find("2"), std::string::npos) << prose;
}

TEST(MeaningPipelineTest, AnOptionKeepsItsLabelWithItsWords) {
  // BIG-Bench Hard style: the answer "(D)" must still name a line.
  const std::string text =
      "Which of these is a fruit?\nOptions:\n(A) a red apple\n(B) a small grey stone\n"
      "(C) a fast blue car\n(D) a green pear";
  const std::map<std::string, float> p = {{"fruit", 0.9f}, {"apple", 0.9f}, {"pear", 0.9f}};
  const std::string out = Compress(text, p, Rate(0.3));
  EXPECT_NE(out.find("(A) apple"), std::string::npos) << out;
  EXPECT_NE(out.find("(D) pear"), std::string::npos) << out;
  EXPECT_EQ(out.find("(B)"), std::string::npos) << "a label whose line lost every word goes: " << out;
  EXPECT_EQ(out.find("(C)"), std::string::npos) << out;

  const std::string prose = Compress(text, p, Rate(0.3, true, false));
  EXPECT_EQ(prose.find("(A)"), std::string::npos) << "without keep_structure a label is a word: " << prose;
}

TEST(MeaningPipelineTest, AJsonDocumentStillParses) {
  const std::string doc =
      "{\n  \"title\": \"Quarterly report\",\n  \"summary\": \"Revenue grew in every region "
      "except the north, where two stores \\\"closed\\\" for repairs\\nin May.\",\n"
      "  \"stores\": [12, 14, 9], \"final\": false\n}";
  std::vector<StructureMark> marks;
  ASSERT_TRUE(FindJsonMarks(doc, &marks));
  for (const double rate : {0.1, 0.3, 0.6}) {
    const std::string out = Compress(doc, {{"Revenue", 0.9f}, {"north", 0.8f}}, Rate(rate));
    marks.clear();
    EXPECT_TRUE(FindJsonMarks(out, &marks)) << rate << ": " << out;
    for (const char* key : {"\"title\": \"Quarterly report\"", "\"summary\": \"", "\"stores\": [12, 14, 9]", "\"final\": false"}) {
      EXPECT_NE(out.find(key), std::string::npos) << key << " in " << out;
    }
  }
  EXPECT_FALSE(FindJsonMarks(Compress(doc, {{"Revenue", 0.9f}}, Rate(0.3, true, false)), &marks))
      << "without keep_structure the document is prose";
}

TEST(MeaningPipelineTest, AFenceLineStaysALineWhenTheWordsAfterItAreCut) {
  const std::string text = "Look:\n```python\ndef mean(xs):\n    return sum(xs)\n```\nPlease check it.";
  const std::string out = Compress(text, {{"mean", 0.9f}, {"sum", 0.9f}, {"check", 0.9f}}, Rate(0.5, true, true));
  EXPECT_NE(out.find("```python\nmean"), std::string::npos) << out;
  EXPECT_NE(out.find("```\ncheck"), std::string::npos) << out;
}

TEST(MeaningPipelineTest, AContextOfMarkersOnlyIsNotEmptied) {
  const std::map<std::string, float> p = {{"-", 0.9f}};
  EXPECT_FALSE(Compress("- a b c d e f", p, Rate(0.1)).empty());
}

}  // namespace
}  // namespace mooscomp
