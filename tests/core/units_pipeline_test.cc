// The compressor over both real test tokenizers with fake classifiers: numbers are kept
// whole or dropped whole, digits are forced per word, and a rate never empties a text.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model_runner.h"
#include "mooscomp/compressor.h"

namespace mooscomp {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::unique_ptr<Compressor>> Compressors() {
  std::vector<std::unique_ptr<Compressor>> out;
  auto spm = LoadSentencePiece(ReadFile(std::string(MOOSCOMP_TEST_DATA_DIR) + "/tiny_spm.model"), {});
  auto wp = LoadWordPiece(ReadFile(std::string(MOOSCOMP_TEST_DATA_DIR) + "/wordpiece_vocab.txt"), {});
  EXPECT_TRUE(spm.ok() && wp.ok());
  if (spm.ok()) out.push_back(std::make_unique<Compressor>(Compressor::Create(std::move(spm).value(), ModelSpec()).value()));
  if (wp.ok()) out.push_back(std::make_unique<Compressor>(Compressor::Create(std::move(wp).value(), ModelSpec()).value()));
  return out;
}

// A fake classifier: a pseudo-random preserve probability per token id.
CompressResult Compress(const Compressor& c, const std::string& text, const CompressOptions& o, int seed = 0) {
  auto job = c.Prepare({text}, o);
  EXPECT_TRUE(job.ok()) << job.status().message();
  if (!job.ok()) return {};
  test::RunFakeModel(job.value().get(), 0, [seed](int64_t id) {
    return static_cast<float>((id * (37 + 2 * seed) + seed) % 100) / 100.0f + 0.005f;
  });
  auto result = job.value()->Select(o);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? std::move(result).value() : CompressResult{};
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Spans of digit runs joined by single inner . , : / - (what the JS test checks too).
std::vector<std::pair<size_t, size_t>> Numbers(const std::string& s) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t i = 0;
  while (i < s.size()) {
    if (!IsDigit(s[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    for (;;) {
      while (end < s.size() && IsDigit(s[end])) ++end;
      const bool joined = end + 1 < s.size() && std::string(".,:/-").find(s[end]) != std::string::npos &&
                          IsDigit(s[end + 1]);
      if (!joined) break;
      ++end;
    }
    out.push_back({i, end});
    i = end;
  }
  return out;
}

const char* const kTexts[] = {
    "We ship version 4.2 at 11:05 on 2024-06-12, for $4.2M and -3.5% margin, with 2,400 seats.",
    "Set eps to 1e-6 and keep 3/4 of v1.2.3; see ticket AB-1234 and snake_case or camelCase names.",
    "Write to a.b@c.com or open https://x.org/a?b=1 before 5pm; option (A) costs $1,234.56 today.",
    "Invoice 42 is due on 2024-03-15; pay $1,234.56 to account 987654 before 5pm or call 555 0100.",
    "Weekly sync, Tuesday 14 March 2023, 10:00 to 11:05. Coverage is about 60 percent, 2.3% churn.",
    "The A17 chip runs at 3.46 GHz; 12.5 W, 19,000,000 transistors and 0.8 V since 2023-09-12.",
};

// Force token lists: none, punctuation that joins numbers, and LLMLingua-2's usual list.
// Punctuation inside a unit is not a force match (force_tokens.h), so none may cut a number.
const std::vector<std::vector<std::string>> kForceTokenLists = {
    {}, {".", ",", ":", "-", "/"}, {"\n", ".", "?", "!", ","}};

TEST(UnitsPipelineTest, NumbersAreKeptWholeOrDroppedWhole) {
  for (const auto& c : Compressors()) {
    for (const auto& force : kForceTokenLists) {
      for (const char* text_c : kTexts) {
        const std::string text = text_c;
        std::set<std::string> input_numbers;
        for (const auto& n : Numbers(text)) input_numbers.insert(text.substr(n.first, n.second - n.first));
        for (double rate : {0.2, 0.33, 0.5, 0.7}) {
          for (int seed = 0; seed < 4; ++seed) {
            CompressOptions o;
            o.rate = rate;
            o.force_tokens = force;
            const CompressResult r = Compress(*c, text, o, seed);
            ASSERT_FALSE(r.compressed_prompt.empty()) << text;
            // Every number of the input lies in words that are all kept or all dropped.
            for (const auto& n : Numbers(text)) {
              int kept = 0, dropped = 0;
              for (const Word& w : r.words) {
                if (w.end <= n.first || w.begin >= n.second) continue;
                (w.keep ? kept : dropped)++;
              }
              EXPECT_TRUE(kept == 0 || dropped == 0)
                  << text.substr(n.first, n.second - n.first) << " in " << text << " with " << force.size()
                  << " force tokens at rate " << rate;
            }
            // Every number of the output is a number of the input.
            const std::string& out = r.compressed_prompt;
            for (const auto& n : Numbers(out)) {
              EXPECT_TRUE(input_numbers.count(out.substr(n.first, n.second - n.first)))
                  << out.substr(n.first, n.second - n.first) << " in " << out << " with " << force.size()
                  << " force tokens at rate " << rate;
            }
          }
        }
      }
    }
  }
}

TEST(UnitsPipelineTest, PunctuationForceTokensKeepUnitsWhole) {
  // Inside a unit punctuation is not forced, nor is a unit's sign ("-3.5%"); next to a
  // unit (the "," after "2024-06-12", the final "." after "seats") it is.
  const std::string text = kTexts[0];
  for (const auto& c : Compressors()) {
    CompressOptions o;
    o.rate = 0.33;
    o.force_tokens = kForceTokenLists[1];
    const CompressResult r = Compress(*c, text, o);
    std::vector<std::string> forced;
    for (const Word& w : r.words) {
      const std::string word = text.substr(w.begin, w.end - w.begin);
      if (w.forced) forced.push_back(word);
      for (const char* unit : {"4.2", "11:05", "2024-06-12", "$4.2M", "3.5%", "2,400"}) {
        if (word.find(unit) != std::string::npos) {
          EXPECT_FALSE(w.forced) << word;
        }
      }
    }
    EXPECT_EQ(forced, (std::vector<std::string>{",", ",", "."})) << r.compressed_prompt;
  }
}

// Units of every class, each present once in its text, and force token lists that hold
// their punctuation and signs.
const char* const kClassTexts[] = {
    "Connect to the server at 2001:db8::1 or fe80:: and route 2001:db8::/32 through ::1 today.",
    "The template ns::Class<T> wraps std::vector<int> and calls Foo<T>::bar on every update.",
    "Visit https://例え.jp/パス or https://x.org/Foo_(bar) and write to 田中@例え.jp or info@例え.jp soon.",
    "He is 5'11\" tall, she is 6'2.5\" and the peak lies at 40°26'46\"N on the old map.",
    "Revenue fell -3.7% while costs rose +2.1% and the margin moved −0.4 points, x -5 -6 -7 y.",
};
const char* const kClassUnits[] = {
    "2001:db8::1", "fe80::", "2001:db8::/32", "::1", "ns::Class<T>", "std::vector<int>", "Foo<T>::bar",
    "https://例え.jp/パス", "https://x.org/Foo_(bar)", "田中@例え.jp", "info@例え.jp", "5'11\"", "6'2.5\"",
    "40°26'46\"N", "-3.7%", "+2.1%", "−0.4", "-5", "-6", "-7"};
const std::vector<std::vector<std::string>> kClassForceLists = {
    {}, {"-", "+", "%", "\u2212"}, {":", "::", "/", ".", "<", ">", "@", "'", "\"", "\n", "?", "!", ","}};

TEST(UnitsPipelineTest, UnitsOfEveryClassAreKeptWholeOrDroppedWhole) {
  for (const auto& c : Compressors()) {
    for (const auto& force : kClassForceLists) {
      for (const char* text_c : kClassTexts) {
        const std::string text = text_c;
        for (double rate : {0.2, 0.33, 0.5, 0.7}) {
          for (int seed = 0; seed < 4; ++seed) {
            for (bool drop_consecutive : {false, true}) {
              CompressOptions o;
              o.rate = rate;
              o.force_tokens = force;
              o.drop_consecutive = drop_consecutive;
              const CompressResult r = Compress(*c, text, o, seed);
              for (const char* unit_c : kClassUnits) {
                const std::string unit = unit_c;
                size_t at = text.find(" " + unit);  // each stands after a space
                if (at++ == std::string::npos) continue;
                // The unit is exactly the bytes of its words (never part of a bigger word),
                // all kept or all dropped, and then in the output or not.
                int kept = 0, dropped = 0;
                for (const Word& w : r.words) {
                  if (w.end <= at || w.begin >= at + unit.size()) continue;
                  EXPECT_TRUE(w.begin >= at && w.end <= at + unit.size())
                      << text.substr(w.begin, w.end - w.begin) << " around " << unit;
                  (w.keep ? kept : dropped)++;
                }
                EXPECT_TRUE(kept == 0 || dropped == 0)
                    << unit << " in " << text << " with " << force.size() << " force tokens at rate " << rate;
                if (kept > 0) {
                  EXPECT_NE(r.compressed_prompt.find(unit), std::string::npos) << unit << " in " << r.compressed_prompt;
                }
              }
            }
          }
        }
      }
    }
  }
}

TEST(UnitsPipelineTest, SignsStayWithTheirNumbersUnderDropConsecutive) {
  // A sign is part of its number, not a force token that drop_consecutive may drop.
  const std::string text = "x -5 -6 -7 y";
  for (const auto& c : Compressors()) {
    for (double rate : {0.1, 0.33, 0.5, 0.7}) {
      CompressOptions o;
      o.rate = rate;
      o.force_tokens = {"-"};
      o.force_reserve_digit = true;
      o.drop_consecutive = true;
      const CompressResult r = Compress(*c, text, o);
      EXPECT_NE(r.compressed_prompt.find("-5 -6 -7"), std::string::npos) << r.compressed_prompt;
      for (const Word& w : r.words) {
        const std::string word = text.substr(w.begin, w.end - w.begin);
        if (word.find_first_of("0123456789") != std::string::npos) {
          EXPECT_EQ(word.front(), '-') << word;
        }
      }
    }
  }
}

TEST(UnitsPipelineTest, ForcedDigitsKeepUnitsWhole) {
  const std::string text = kTexts[3];
  for (const auto& c : Compressors()) {
    CompressOptions o;
    o.rate = 0.33;
    o.force_reserve_digit = true;
    const CompressResult r = Compress(*c, text, o);
    for (const char* unit : {"42", "2024-03-15", "$1,234.56", "987654", "5pm", "555", "0100"}) {
      EXPECT_NE(r.compressed_prompt.find(unit), std::string::npos) << unit << " in " << r.compressed_prompt;
    }
    for (const Word& w : r.words) {
      const std::string word = text.substr(w.begin, w.end - w.begin);
      const bool digit = word.find_first_of("0123456789") != std::string::npos;
      EXPECT_EQ(w.forced, digit) << word;
      if (digit) {
        EXPECT_TRUE(w.keep) << word;
      }
    }
  }
}

TEST(UnitsPipelineTest, ARateNeverEmptiesAText) {
  for (const auto& c : Compressors()) {
    CompressOptions o;
    o.rate = 0.9;
    o.force_reserve_digit = true;
    EXPECT_EQ(Compress(*c, "42", o).compressed_prompt, "42");
    o.force_reserve_digit = false;
    EXPECT_EQ(Compress(*c, "42", o).compressed_prompt, "42");
    for (const char* text : {"会議は明日の午後3時に始まります。", "我们明天下午三点开会。", "회의는 내일 오후 3시에 시작합니다.",
                             "การประชุมจะเริ่มพรุ่งนี้", "Hi", "  ok  "}) {
      for (double rate : {0.1, 0.33}) {
        o.rate = rate;
        EXPECT_FALSE(Compress(*c, text, o).compressed_prompt.empty()) << text << " at " << rate;
        o.target_tokens = 1;
        EXPECT_FALSE(Compress(*c, text, o).compressed_prompt.empty()) << text << " with target_tokens";
        o.target_tokens = -1;
      }
    }
    // An explicit threshold may still drop everything.
    CompressOptions t;
    t.threshold = 1.0;
    EXPECT_EQ(Compress(*c, "plain words", t).compressed_prompt, "");
  }
}

}  // namespace
}  // namespace mooscomp
