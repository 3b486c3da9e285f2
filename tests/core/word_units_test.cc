// Words that are units (numbers, versions, identifiers, URLs, e-mail addresses) and words
// of scripts without spaces, over the toy tokenizer, a scripted one and both real ones.
#include "word_units.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "segmenter.h"
#include "toy_tokenizer.h"

namespace mooscomp {
namespace {

using V = std::vector<std::string>;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

V Units(std::string_view run) {
  std::vector<std::pair<uint32_t, uint32_t>> spans;
  FindUnits(run, &spans);
  V out;
  for (const auto& s : spans) out.emplace_back(run.substr(s.first, s.second - s.first));
  return out;
}

// Word texts of `text` under `tokenizer`, "*" prefixed when forced.
V Words(const Tokenizer& tokenizer, std::string_view text, const V& force = {},
        std::vector<WordSpan>* words_out = nullptr) {
  std::vector<ForceMatch> matches;
  ForceTokenMatcher::Create(force).value().FindAll(text, &matches);
  Encoding tokens;
  std::vector<WordSpan> words;
  const Status status = SegmentContext(tokenizer, text, matches, &tokens, &words);
  EXPECT_TRUE(status.ok()) << status.message();
  V out;
  uint32_t next_token = 0;
  for (const WordSpan& w : words) {
    EXPECT_EQ(w.token_begin, next_token) << "words are contiguous token ranges";
    next_token = w.token_end;
    out.push_back((w.force_index >= 0 ? "*" : "") + std::string(text.substr(w.begin, w.end - w.begin)));
  }
  EXPECT_EQ(next_token, tokens.size());
  if (words_out) *words_out = words;
  return out;
}

// A tokenizer that returns given tokens: [begin, end) byte spans and word starts.
class ScriptedTokenizer : public Tokenizer {
 public:
  struct Token {
    uint32_t begin, end;
    bool starts;
  };
  explicit ScriptedTokenizer(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}
  Status Encode(std::string_view, uint32_t base, Encoding* out) const override {
    for (const Token& t : tokens_) {
      out->ids.push_back(5);
      out->begin.push_back(base + t.begin);
      out->end.push_back(base + t.end);
      out->word_start.push_back(t.starts);
    }
    return Status::Ok();
  }
  int32_t cls_id() const override { return 1; }
  int32_t sep_id() const override { return 2; }
  int32_t pad_id() const override { return 0; }
  int32_t unk_id() const override { return 3; }
  int32_t vocab_size() const override { return 10; }

 private:
  std::vector<Token> tokens_;
};

// Each example is one unit, alone and with the punctuation around it that stays apart.
const char* const kUnits[] = {"4.2",      "11:05",    "2,400",     "$4.2M",  "-3.5%",  "1e-6",
                              "2024-06-12", "3/4",    "v1.2.3",    "A17",    "AB-1234", "snake_case",
                              "camelCase", "a.b.c",   "https://x.org/a?b=1", "a.b@c.com", "(A)", "5pm",
                              "$1,234.56", "2024-03-15", "-.5", "C++", "__init__", "e.g.", "10–20",
                              // IPv6 addresses, qualified names and their type arguments
                              "2001:db8::1", "::1", "fe80::", "2001:db8::/32", "::ffff:192.0.2.1",
                              "ns::Class<T>", "std::vector<int>", "Map<K,V>", "Foo<T>::bar",
                              // URLs and e-mail addresses in any script
                              "https://例え.jp/パス", "https://x.org/Foo_(bar)", "file:///tmp/a.txt",
                              "http://[::1]:8080/", "info@例え.jp", "田中@例え.jp", "홍길동@example.com",
                              "josé@exämple.de",
                              // measures in feet and inches, signed numbers
                              "5'11\"", "5'11''", "6'2.5\"", "40°26'46\"N", "−3.7%", "–5"};

TEST(FindUnitsTest, EachExampleIsOneUnit) {
  for (const char* unit : kUnits) EXPECT_EQ(Units(unit), (V{unit})) << unit;
}

TEST(FindUnitsTest, EdgePunctuationStaysOutside) {
  EXPECT_EQ(Units("Marcus:"), (V{"Marcus"}));
  EXPECT_EQ(Units("2024."), (V{"2024"}));
  EXPECT_EQ(Units("(4.2),"), (V{"4.2"}));
  EXPECT_EQ(Units("\"v1.2.3\";"), (V{"v1.2.3"}));
  EXPECT_EQ(Units("(A)."), (V{"(A)"}));
  EXPECT_EQ(Units("$4.2M!"), (V{"$4.2M"}));
  EXPECT_EQ(Units("100%."), (V{"100%"}));
  EXPECT_EQ(Units("https://x.org/a?b=1."), (V{"https://x.org/a?b=1"}));
  EXPECT_EQ(Units("a.b@c.com)"), (V{"a.b@c.com"}));
  EXPECT_EQ(Units("U.S."), (V{"U.S."}));  // an abbreviation keeps its dot
  EXPECT_EQ(Units("end...start"), (V{"end", "start"}));
  EXPECT_EQ(Units("f(x)"), (V{"f", "(x)"}));
  EXPECT_EQ(Units("(see"), (V{"see"}));
  EXPECT_EQ(Units("a;b"), (V{"a", "b"}));
  EXPECT_EQ(Units("a—b"), (V{"a", "b"}));  // an em dash separates words
  EXPECT_EQ(Units("--"), (V{}));
  EXPECT_EQ(Units(""), (V{}));
}

TEST(FindUnitsTest, AddressesNamesUrlsAndMeasuresEndWhereTheyShould) {
  // IPv6: "::" joins groups; a trailing "::" only ends a hex address, not a word.
  EXPECT_EQ(Units("2001:db8::1."), (V{"2001:db8::1"}));
  EXPECT_EQ(Units("[2001:db8::1]:443"), (V{"2001:db8::1", "443"}));
  EXPECT_EQ(Units("add::"), (V{"add"}));
  EXPECT_EQ(Units("std::"), (V{"std"}));
  EXPECT_EQ(Units("Note:"), (V{"Note"}));
  // Type arguments follow a name, balanced, without spaces; a comparison is not one.
  EXPECT_EQ(Units("std::map<std::string,std::vector<int>>,"), (V{"std::map<std::string,std::vector<int>>"}));
  EXPECT_EQ(Units("a<b"), (V{"a", "b"}));
  EXPECT_EQ(Units("3<4>"), (V{"3", "4"}));
  EXPECT_EQ(Units("x<y>>"), (V{"x<y>"}));
  EXPECT_EQ(Units("<b>bold</b>"), (V{"b", "bold", "b"}));
  // A URL ends at a character it cannot hold, without trailing punctuation or a closing
  // bracket it does not open.
  EXPECT_EQ(Units("(https://x.org/a)."), (V{"https://x.org/a"}));
  EXPECT_EQ(Units("<https://x.org/a>"), (V{"https://x.org/a"}));
  EXPECT_EQ(Units("\"https://x.org/a\","), (V{"https://x.org/a"}));
  EXPECT_EQ(Units("https://例え.jp/パス。次"), (V{"https://例え.jp/パス"}));
  EXPECT_EQ(Units("请访问https://example.com/docs了解更多"), (V{"https://example.com/docs"}));
  EXPECT_EQ(Units("https://ja.wikipedia.org/wiki/東京都を参照"), (V{"https://ja.wikipedia.org/wiki/東京都を参照"}));
  EXPECT_EQ(Units("https://"), (V{"https"}));
  EXPECT_EQ(Units("https://.)"), (V{"https"}));
  // An e-mail address: its domain's labels are each of one kind of script.
  EXPECT_EQ(Units("田中@例え.jpへ"), (V{"田中@例え.jp"}));
  EXPECT_EQ(Units("連絡先：info@例え.jp。"), (V{"info@例え.jp"}));
  EXPECT_EQ(Units("田中@例え"), (V{}));  // no domain: Han stays spaceless text
  EXPECT_EQ(Units("東京@x"), (V{"@x"}));
  // Feet and inches: the inch mark belongs to a measure, not to any quoted number.
  EXPECT_EQ(Units("\"5'11\""), (V{"5'11\""}));
  EXPECT_EQ(Units("\"5\""), (V{"5"}));
  EXPECT_EQ(Units("don't\""), (V{"don't"}));
  EXPECT_EQ(Units("40°26'46\"NW"), (V{"40°26'46\"", "NW"}));
  // Signs: ASCII, en dash and minus sign before a digit.
  EXPECT_EQ(Units("(-5)"), (V{"-5"}));
  EXPECT_EQ(Units("–x"), (V{"x"}));
}

TEST(FindUnitsTest, LongRunsOfSpacelessTextAreLinear) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "東.";
  text += "東@";
  EXPECT_EQ(Units(text), (V{}));
}

TEST(FindUnitsTest, SpacelessScriptsAreNotPartOfUnits) {
  EXPECT_EQ(Units("東京2024年"), (V{"2024"}));
  EXPECT_EQ(Units("café-bar"), (V{"café-bar"}));
  EXPECT_EQ(Units("€5,000"), (V{"€5,000"}));
  // Fullwidth digits and letters are a number or a word, not spaceless text.
  EXPECT_EQ(Units("２００７年"), (V{"２００７"}));
  EXPECT_EQ(Units("ＡＢ-１２"), (V{"ＡＢ-１２"}));
}

// Chinese and Japanese words are not delimited, but a loanword in katakana is one run, and
// a foreign name is its parts joined by an interpunct: kept or dropped whole, a budget never
// keeps "玛" of "玛丽亚·科斯塔".
TEST(FindUnitsTest, KatakanaRunsAndForeignNamesAreUnits) {
  EXPECT_EQ(Units("214教室には30席とプロジェクターが1台ある。"), (V{"214", "30", "プロジェクター", "1"}));
  EXPECT_EQ(Units("マリア・コスタが議事録を取る。"), (V{"マリア・コスタ"}));
  EXPECT_EQ(Units("アンナ・ベルクが9:30に"), (V{"アンナ・ベルク", "9:30"}));
  // Han parts read transliteration characters only, one at least: "将" ends Tom Lee.
  EXPECT_EQ(Units("汤姆·李将在周五前发送"), (V{"汤姆·李"}));
  EXPECT_EQ(Units("安娜·伯格于9:30宣布"), (V{"安娜·伯格", "9:30"}));
  EXPECT_EQ(Units("报告给丽莎·王。"), (V{"丽莎·王"}));
  EXPECT_EQ(Units("马丁·路德·金的演讲"), (V{"马丁·路德·金"}));
  // Japanese lists Han words with "・": not a name; a dot with nothing after it neither.
  EXPECT_EQ(Units("東京・大阪・名古屋"), (V{}));
  EXPECT_EQ(Units("安娜·"), (V{}));
  EXPECT_EQ(Units("·伯格"), (V{}));
  // Catalan's "l·l" joins the letters of one word, not a name's parts.
  EXPECT_EQ(Units("col·lecció"), (V{"col·lecció"}));
}

TEST(FindUnitsTest, SpacelessNamesAreRecognised) {
  EXPECT_TRUE(IsSpacelessName("安娜·伯格"));
  EXPECT_TRUE(IsSpacelessName("マリア・コスタ"));
  EXPECT_FALSE(IsSpacelessName("プロジェクター"));
  EXPECT_FALSE(IsSpacelessName("col·lecció"));
  EXPECT_FALSE(IsSpacelessName("·"));
  EXPECT_FALSE(IsSpacelessName(""));
}

TEST(WordUnitsTest, ToyTokenizerMergesUnitsWhoseBytesTouch) {
  for (size_t piece : {1u, 4u}) {
    test::ToyTokenizer toy(piece);
    for (const char* unit : kUnits) {
      const std::string text = std::string("see ") + unit + ", ok";
      EXPECT_EQ(Words(toy, text), (V{"see", unit, ",", "ok"})) << text << " piece " << piece;
    }
    EXPECT_EQ(Words(toy, "Marcus: 2024. (A) x"), (V{"Marcus", ":", "2024", ".", "(A)", "x"}));
    EXPECT_EQ(Words(toy, "it's 4.2; then"), (V{"it's", "4.2", ";", "then"}));
  }
}

TEST(WordUnitsTest, ForceMatchesAreNeverMerged) {
  test::ToyTokenizer toy;
  // Punctuation inside a unit is no force match (force_tokens.h): the unit stays whole.
  EXPECT_EQ(Words(toy, "pi 3.14 ok", {"."}), (V{"pi", "3.14", "ok"}));
  EXPECT_EQ(Words(toy, "on 2024-06-12", {"-"}), (V{"on", "2024-06-12"}));
  // A match next to a unit is its own word; a unit's sign or percent is the unit's.
  EXPECT_EQ(Words(toy, "in 2024. ok", {"."}), (V{"in", "2024", "*.", "ok"}));
  EXPECT_EQ(Words(toy, "-3.5% ok", {"-", "%"}), (V{"-3.5%", "ok"}));
  EXPECT_EQ(Words(toy, "x -5 -6 -7 y - z", {"-"}), (V{"x", "-5", "-6", "-7", "y", "*-", "z"}));
  EXPECT_EQ(Words(toy, "at 2001:db8::1, ns::Class<T>", {":", ","}), (V{"at", "2001:db8::1", "*,", "ns::Class<T>"}));
}

TEST(WordUnitsTest, ATokenAcrossTheUnitEdgeKeepsItsWord) {
  // "x.org/a." as x | . | org | /a. : the last token runs past the unit "x.org/a".
  const ScriptedTokenizer t({{0, 1, true}, {1, 2, true}, {2, 5, false}, {5, 8, true}});
  EXPECT_EQ(Words(t, "x.org/a."), (V{"x.org/a."}));
  // "4.2" as one token: nothing to merge.
  const ScriptedTokenizer one({{0, 3, true}});
  EXPECT_EQ(Words(one, "4.2"), (V{"4.2"}));
}

TEST(WordUnitsTest, AWordOverlappingTwoUnitsJoinsBoth) {
  // "sqrt((41.00-37.00)^2" as words "sqrt((41" ".00-37.00)^2": the first word overlaps the
  // units "sqrt" and "41.00-37.00"; the number must still not be cut at "41|.00".
  const ScriptedTokenizer t({{0, 4, true}, {4, 5, false}, {5, 6, false}, {6, 8, false}, {8, 11, true},
                             {11, 12, false}, {12, 17, false}, {17, 18, false}, {18, 20, false}});
  EXPECT_EQ(Words(t, "sqrt((41.00-37.00)^2"), (V{"sqrt((41.00-37.00)^2"}));
  // Words between units that no unit spans stay apart.
  const ScriptedTokenizer two({{0, 2, true}, {2, 3, true}, {3, 5, true}});
  EXPECT_EQ(Words(two, "ab;cd"), (V{"ab", ";", "cd"}));
}

TEST(WordUnitsTest, VeryLongUnitsKeepTheTokenizersWords) {
  test::ToyTokenizer toy;
  std::string list;
  for (int i = 0; i < 40; ++i) list += std::to_string(i) + ",";  // 80 one-token words
  list += "40";
  EXPECT_EQ(Words(toy, list).size(), 81u);
  EXPECT_EQ(Words(toy, "1,2,3,4,5").size(), 1u);
}

TEST(WordUnitsTest, SpacelessScriptsSplitAtEveryToken) {
  // SentencePiece-like: a bare boundary " ", then 東京 は 2024 年 continuing the word.
  const std::string text = " 東京は2024年";
  const ScriptedTokenizer t({{0, 1, true}, {1, 7, false}, {7, 10, false}, {10, 14, false}, {14, 17, false}});
  std::vector<WordSpan> words;
  EXPECT_EQ(Words(t, text, {}, &words), (V{"東京", "は", "2024", "年"}));
  EXPECT_EQ(words[0].token_begin, 0u);  // the bare boundary joins the first word
  EXPECT_EQ(words[0].token_end, 2u);
  // Latin text touching Han splits there too; Latin pieces still continue their word.
  const ScriptedTokenizer mixed({{0, 2, true}, {2, 4, false}, {4, 7, false}, {7, 9, false}});
  EXPECT_EQ(Words(mixed, "abcd東ef"), (V{"abcd", "東", "ef"}));
  // Thai and Hangul as well; one token over many characters stays one word.
  const std::string thai = "การประชุม";  // 9 code points, 3 bytes each
  const ScriptedTokenizer th({{0, 9, true}, {9, 27, false}});
  EXPECT_EQ(Words(th, thai), (V{"การ", "ประชุม"}));
  const ScriptedTokenizer th1({{0, 27, true}});
  EXPECT_EQ(Words(th1, thai), (V{thai}));
  const ScriptedTokenizer ko({{0, 6, true}, {6, 9, false}});
  EXPECT_EQ(Words(ko, "회의는"), (V{"회의", "는"}));
}

class RealTokenizersTest : public ::testing::Test {
 protected:
  static std::vector<std::unique_ptr<Tokenizer>> Both() {
    std::vector<std::unique_ptr<Tokenizer>> out;
    out.push_back(SentencePiece());
    out.push_back(WordPiece());
    return out;
  }
  static std::unique_ptr<Tokenizer> SentencePiece(const char* model = "tiny_spm.model") {
    auto t = LoadSentencePiece(ReadFile(std::string(MOOSCOMP_TEST_DATA_DIR) + "/" + model), {});
    EXPECT_TRUE(t.ok()) << t.status().message();
    return t.ok() ? std::move(t).value() : nullptr;
  }
  static std::unique_ptr<Tokenizer> WordPiece() {
    auto t = LoadWordPiece(ReadFile(std::string(MOOSCOMP_TEST_DATA_DIR) + "/wordpiece_vocab.txt"), {});
    EXPECT_TRUE(t.ok()) << t.status().message();
    return t.ok() ? std::move(t).value() : nullptr;
  }
};

TEST_F(RealTokenizersTest, EveryExampleIsOneWord) {
  for (const auto& tokenizer : Both()) {
    ASSERT_NE(tokenizer, nullptr);
    for (const char* unit : kUnits) {
      const std::string text = std::string("see ") + unit + ", ok";
      EXPECT_EQ(Words(*tokenizer, text), (V{"see", unit, ",", "ok"})) << text;
    }
    EXPECT_EQ(Words(*tokenizer, "Marcus: on 2024. (A) x"), (V{"Marcus", ":", "on", "2024", ".", "(A)", "x"}));
    EXPECT_EQ(Words(*tokenizer, "version 4.2 at 11:05, $4.2M"), (V{"version", "4.2", "at", "11:05", ",", "$4.2M"}));
  }
}

TEST_F(RealTokenizersTest, SpacelessScriptsAreSplit) {
  const char* const texts[] = {"会議は明日の午後3時に始まります。", "我们明天下午三点开会，请准备好材料。",
                               "회의는 내일 오후 3시에 시작합니다."};
  for (const auto& tokenizer : Both()) {
    ASSERT_NE(tokenizer, nullptr);
    for (const char* text : texts) EXPECT_GE(Words(*tokenizer, text).size(), 5u) << text;
  }
  // The tiny SentencePiece model: every token of Japanese text is its own word.
  auto spm = SentencePiece();
  const std::string ja = texts[0];
  Encoding tokens;
  std::vector<WordSpan> words;
  ASSERT_TRUE(SegmentContext(*spm, ja, {}, &tokens, &words).ok());
  uint32_t visible_tokens = 0;
  for (size_t i = 0; i < tokens.size(); ++i) visible_tokens += tokens.end[i] > tokens.begin[i];
  EXPECT_EQ(words.size(), visible_tokens);
  for (const auto& tokenizer : Both()) EXPECT_EQ(Words(*tokenizer, "東京2024年"), (V{"東", "京", "2024", "年"}));
}

// Under byte fallback a Han character outside the vocabulary is three byte pieces, one of
// them with its text ("团" = <0xE5> <0x9B> <0xA2>): still one word per character, holding
// all three, as training labels them. A bare "▁" before the run (" 团", "plan 京") joins the
// first character's word, never a word alone.
TEST_F(RealTokenizersTest, ByteFallbackHanIsOneWordPerCharacter) {
  auto spm = SentencePiece("tiny_spm_bytes.model");
  ASSERT_NE(spm, nullptr);
  const V han = {"团", "队", "决", "定", "推", "迟"};  // none in the vocabulary
  std::vector<WordSpan> words;
  EXPECT_EQ(Words(*spm, "团队决定推迟", {}, &words), han);
  for (size_t w = 0; w < words.size(); ++w) {
    EXPECT_EQ(words[w].token_end - words[w].token_begin, w == 0 ? 4u : 3u) << han[w] << ": \"▁\"? + 3 bytes";
  }
  EXPECT_EQ(Words(*spm, "plan 团队", {}, &words), (V{"plan", "团", "队"}));
  EXPECT_EQ(words[1].token_end - words[1].token_begin, 4u);  // "▁" <0xE5> <0x9B> <0xA2>
  EXPECT_EQ(words[2].token_end - words[2].token_begin, 3u);
  EXPECT_EQ(Words(*spm, " 团队决定推迟。"), (V{"团", "队", "决", "定", "推", "迟", "。"}));
  EXPECT_EQ(Words(*spm, "plan 团队决定推迟 ok"), (V{"plan", "团", "队", "决", "定", "推", "迟", "ok"}));
  EXPECT_EQ(Words(*spm, "東京团队2024年"), (V{"東", "京", "团", "队", "2024", "年"}));
  for (const auto& tokenizer : {SentencePiece(), SentencePiece("tiny_spm_bytes.model")}) {
    ASSERT_NE(tokenizer, nullptr);
    EXPECT_EQ(Words(*tokenizer, " 京东"), (V{"京", "东"}));
    EXPECT_EQ(Words(*tokenizer, "plan 京东"), (V{"plan", "京", "东"}));
    EXPECT_EQ(Words(*tokenizer, " 团队"), (V{"团", "队"}));
    EXPECT_EQ(Words(*tokenizer, "plan 团队"), (V{"plan", "团", "队"}));
  }
}

}  // namespace
}  // namespace mooscomp
