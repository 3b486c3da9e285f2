// The small closed word classes that decide what a prompt *says*: negations, the function
// words a negation or a number's unit skips over, scale words, the links inside names, month
// and weekday names, comparisons before a number, the
// counters written right after a number in Chinese, Japanese and Korean.
// Lower-case forms (ASCII letters folded by the caller); a few languages besides English.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace mooscomp {
namespace lexicon {

// "not", "never", "kein", "sans", "不", … and any word ending in "n't" ("don't").
bool IsNegation(std::string_view lower);
// A negation written after what it negates: French "pas", "jamais" (after the verb).
bool IsTrailingNegation(std::string_view lower);
// Articles, prepositions, auxiliaries, pronouns: not the unit of a number ("in 2019 the")
// and skipped between a negation and the word it negates ("not to mention").
bool IsFunctionWord(std::string_view lower);
// "hundred", "million", "percent": a number's unit may follow them ("4 million dollars").
bool IsScaleWord(std::string_view lower);
// "of", "de", "von": a lower-case word inside a name, between capitalised words ("Kingdom of
// Hawaii", "University of the Arts", "Ludwig van Beethoven").
bool IsNameLink(std::string_view lower);
// Month names and abbreviations, written as in text ("March", "Sept", "März", "mars").
// Capitalised English forms only, so the verb "may" and the month "May" differ.
bool IsMonth(std::string_view word);
// Weekday names and abbreviations ("Tuesday", "Tue", "Dienstag", "mardi").
bool IsWeekday(std::string_view word);
// How many of the words right before a number are a comparison, 0 to 3: one word or sign
// ("over", "below", "≤", "<"; an approximation: "about", "nearly", "etwa"), two words ("more
// than", "at least", "up to", "mehr als", "au moins", "close to"), either after "no" or "not"
// ("no more than"). Dropped alone, a comparison
// leaves another number ("more than 20" -> "20"). w1 is the word right before the number,
// w2 and w3 the ones before it ("" where there is none).
size_t ComparisonLength(std::string_view w3, std::string_view w2, std::string_view w1);
// In scripts without spaces, whole text of the words right before a number that is a
// comparison or an approximation ("超过", "不少于", "少なくとも", "约"), and of the words
// after the number and its counter ("以上", "以下", "以内", "未満", "左右": "20人以上",
// "18歳未満", "20人左右").
bool IsCjkComparisonBefore(std::string_view text);
bool IsCjkComparisonAfter(std::string_view text);
// "多", "余" right after a number, before its counter ("20多人": "20-odd people").
bool IsCjkApproximationInside(std::string_view text);
// Two words after a number or its unit that compare it ("or more", "and older", "or less"):
// "20 or more" -> "20" says another number. w1, w2 lower case.
bool IsTrailingComparison(std::string_view w1, std::string_view w2);
// The words a passage states a question word's relation with ("father" -> "son", "daughter",
// "born", ...; "birth" -> "born"; "country" -> "kingdom", "republic"): kinship, birth and
// death, countries; English only. Empty for others.
std::vector<std::string_view> RelatedWords(std::string_view lower);

enum class CounterKind : uint8_t {
  kScale,     // "万", "亿": a counter may follow ("3万元")
  kDateTime,  // "年", "月", "時", "분": such parts chain ("2024年3月14日", "14時30分")
  kOther,     // "人", "元", "个", "명"
};
// The counter or unit that `text` starts with, as written right after a number in Chinese,
// Japanese or Korean ("3月", "５人", "100元", "3개월"): the bytes of the longest one, or 0;
// its kind in *kind.
size_t CounterBytes(std::string_view text, CounterKind* kind);

}  // namespace lexicon
}  // namespace mooscomp
