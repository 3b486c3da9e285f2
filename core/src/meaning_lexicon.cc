#include "meaning_lexicon.h"

#include <algorithm>
#include <iterator>
#include <vector>

namespace mooscomp {
namespace lexicon {
namespace {

// Lists are short: a linear scan compares lengths first and costs less than the tokenizer.
template <size_t N>
bool In(const std::string_view (&list)[N], std::string_view word) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

constexpr std::string_view kNegations[] = {
    // English
    "not", "no", "never", "without", "cannot", "nor", "neither", "none", "nobody", "nothing",
    "nowhere", "noone", "non", "n't",
    // German, Dutch
    "nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals", "ohne",
    "niet", "geen", "nooit", "zonder",
    // French, Spanish, Italian, Portuguese
    "ne", "n'", "sans", "aucun", "aucune", "nunca", "sin", "ningún", "ninguna", "ninguno",
    "jamás", "tampoco", "non", "mai", "senza", "nessun", "nessuno", "nessuna", "não", "nem",
    "sem", "nenhum", "nenhuma",
    // Russian, Polish
    "не", "нет", "ни", "никогда", "без", "Не", "Нет", "bez", "nigdy",
    // Chinese (each character is a word: scripts without spaces are split per token)
    "不", "没", "沒", "没有", "沒有", "别", "別", "未", "无", "無", "勿", "非", "莫", "甭",
};

constexpr std::string_view kTrailingNegations[] = {"pas", "jamais", "rien"};

constexpr std::string_view kFunctionWords[] = {
    "a", "an", "the", "to", "of", "in", "on", "at", "for", "by", "with", "from", "as", "into",
    "and", "or", "but", "if", "so", "than", "then", "that", "this", "these", "those", "which",
    "who", "whom", "what", "be", "been", "being", "is", "are", "was", "were", "am", "have",
    "has", "had", "do", "does", "did", "will", "would", "shall", "should", "can", "could",
    "may", "might", "must", "it", "its", "he", "she", "they", "we", "you", "i", "me", "him",
    "her", "them", "us", "my", "your", "our", "their", "his", "any", "some", "each", "every",
    "all", "more", "most", "less", "also", "just", "only", "even", "very", "too", "quite",
    "really", "yet", "ever", "again", "there", "here", "about", "up", "out", "off", "over",
    "per", "or", "nor", "either", "one", "ones", "other", "such", "when", "while", "after",
    "before", "since", "until", "because", "though", "although", "via",
    // German, French, Spanish articles and common prepositions
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "zu", "und", "le", "la",
    "les", "un", "une", "de", "du", "à", "et", "el", "los", "las", "y", "en", "il", "lo",
};

constexpr std::string_view kScaleWords[] = {
    "hundred", "thousand", "million", "billion", "trillion", "percent", "per", "more", "dozen",
    "half", "times", "hundreds", "thousands", "millions", "billions", "mio", "mrd", "millionen",
    "milliarden", "millions", "milliards", "millones", "mil",
};

// Comparisons before a number, of one word and of two (written "first second").
constexpr std::string_view kComparisons[] = {
    "over", "under", "above", "below", "exceeding", "<", ">", "<=", ">=", "!=", "≤", "≥", "≠",
    "mindestens", "höchstens", "über", "unter", "almeno",
};
// Approximations before a number: dropped alone, "about 20" becomes an exact 20.
constexpr std::string_view kApproximations[] = {
    "about", "around", "approximately", "approx.", "roughly", "nearly", "almost", "circa", "ca.",
    "etwa", "ungefähr", "rund", "knapp", "environ", "presque", "casi", "aproximadamente", "quasi", "quase",
};
constexpr std::string_view kComparisonPairs[] = {
    "more than", "less than", "fewer than", "greater than", "higher than", "lower than", "larger than",
    "smaller than", "older than", "younger than", "at least", "at most", "up to", "mehr als", "weniger als",
    "plus de", "moins de", "au moins", "au plus", "más de", "menos de", "al menos", "più di", "meno di",
    "mais de", "pelo menos", "close to", "près de", "alrededor de", "cerca de",
};

// Comparisons written without spaces: before a number ("超过20", "不少于3", "少なくとも3")
// and after a number and its counter ("20人以上", "18歳未満", "3天以内").
constexpr std::string_view kCjkComparisonsBefore[] = {
    "超过", "超過", "不超过", "不超過", "多于", "多於", "不多于", "少于", "少於", "不少于", "不少於", "高于",
    "高於", "不高于", "低于", "低於", "不低于", "大于", "大於", "不大于", "小于", "小於", "不小于", "不到",
    "不足", "至少", "最多", "至多", "最少", "最高", "最低", "少なくとも", "最大", "最小",
    // approximations ("约20"; not a lone "近": "最近3天" is "the last 3 days")
    "约", "約", "大约", "大約", "将近", "將近", "接近", "几乎", "幾乎", "差不多", "およそ", "ほぼ",
};
constexpr std::string_view kCjkComparisonsAfter[] = {"以上", "以下", "以内", "之内", "未満", "未满",
                                                     "左右", "前后", "前後"};
// Right after the number, before its counter: "20多人", "20余年" ("20-odd").
constexpr std::string_view kCjkApproximationsInside[] = {"多", "余", "餘"};

// Comparisons after a number, or after a number and its unit ("20 or more", "65 years and
// older").
constexpr std::string_view kTrailingComparisons[] = {
    "or more", "or less", "or fewer", "or above", "or below", "or over", "or under", "or older", "or younger",
    "or greater", "or higher", "or lower", "or later", "or earlier", "and more", "and above", "and over",
    "and older", "and up", "and under", "and below", "and younger",
};

// Joining two capitalised words into one name ("Kingdom of Hawaii", "Charles de Gaulle").
constexpr std::string_view kNameLinks[] = {
    "of", "de", "del", "della", "der", "des", "di", "da", "do", "dos", "du", "von", "van", "den", "bin", "ibn",
};

// A question word and the words a passage states the same relation with: "the father of X"
// is answered by "X, the son of Y"; "place of birth" by "was born in"; "which country" by
// "the Kingdom of Hawaii". English, lower case; each row: the question's word, then its
// related words.
constexpr std::string_view kRelations[][8] = {
    {"father", "son", "daughter", "born", "children", "parents"},
    {"mother", "son", "daughter", "born", "children", "parents"},
    {"parent", "son", "daughter", "born", "children", "father", "mother"},
    {"parents", "son", "daughter", "born", "children", "father", "mother"},
    {"son", "father", "mother", "parents", "children"},
    {"daughter", "father", "mother", "parents", "children"},
    {"child", "father", "mother", "parents", "son", "daughter"},
    {"children", "father", "mother", "parents", "son", "daughter"},
    {"husband", "wife", "married", "spouse", "widow"},
    {"wife", "husband", "married", "spouse", "widower"},
    {"spouse", "husband", "wife", "married"},
    {"sibling", "brother", "sister", "siblings"},
    {"siblings", "brother", "sister", "sibling"},
    {"brother", "sister", "brothers", "siblings"},
    {"sister", "brother", "sisters", "siblings"},
    {"grandfather", "grandson", "granddaughter", "father"},
    {"grandmother", "grandson", "granddaughter", "mother"},
    {"uncle", "nephew", "niece"},
    {"aunt", "nephew", "niece"},
    {"nephew", "uncle", "aunt"},
    {"niece", "uncle", "aunt"},
    {"country", "kingdom", "republic", "empire", "nation", "state"},
    {"birth", "born"},
    {"born", "birth"},
    {"death", "died"},
    {"died", "death"},
};

constexpr std::string_view kMonths[] = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
    "Sept", "Oct", "Nov", "Dec",
    // German, French, Spanish, Italian, Portuguese (often lower case in running text)
    "Januar", "Februar", "März", "Juni", "Juli", "Oktober", "Dezember", "janvier", "février",
    "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
    "décembre", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
    "septiembre", "octubre", "noviembre", "diciembre", "gennaio", "febbraio", "aprile",
    "maggio", "giugno", "luglio", "settembre", "ottobre", "dicembre", "janeiro", "fevereiro",
    "março", "maio", "junho", "julho", "setembro", "outubro", "novembro", "dezembro",
};

constexpr std::string_view kWeekdays[] = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Mon", "Tue",
    "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun", "Montag", "Dienstag",
    "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag", "lundi", "mardi", "mercredi",
    "jeudi", "vendredi", "samedi", "dimanche", "lunes", "martes", "miércoles", "jueves",
    "viernes", "sábado", "domingo",
};

// Counters after a number (one character a word under SpacelessSplitter, so a budget could
// keep "14" and drop "日"). Longer forms are matched first: "个月" (months), "日元" (yen).
constexpr std::string_view kScaleCounters[] = {"十", "百", "千", "万", "萬", "亿", "億", "兆"};

constexpr std::string_view kDateTimeCounters[] = {
    "年", "月", "日", "号", "號", "时", "時", "点", "點", "分", "秒", "小时", "小時", "分钟",
    "分鐘", "時間", "년", "월", "일", "시", "분", "초",
};

constexpr std::string_view kOtherCounters[] = {
    "个", "個", "个月", "個月", "ヶ月", "か月", "カ月", "元", "円", "圆", "圓", "块", "塊", "美元",
    "日元", "欧元", "歐元", "人民币", "岁", "歲", "歳", "才", "人", "名", "位", "次", "回", "件",
    "本", "台", "条", "條", "张", "張", "只", "隻", "枚", "匹", "杯", "冊", "册", "つ", "天", "周",
    "週", "週間", "日間", "年間", "倍", "度", "割", "成", "层", "層", "階", "楼", "樓", "页", "頁",
    "章", "节", "節", "米", "公里", "公斤", "千克", "克", "斤", "％",
    "명", "개", "개월", "원", "살", "번",
};

// Bytes of the longest entry of `list` that `text` starts with, if longer than `best`.
template <size_t N>
bool LongerPrefix(const std::string_view (&list)[N], std::string_view text, size_t* best) {
  bool found = false;
  for (std::string_view entry : list) {
    if (entry.size() > *best && text.substr(0, entry.size()) == entry) *best = entry.size(), found = true;
  }
  return found;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

bool IsNegation(std::string_view lower) {
  // "don't", "can't", "isn’t": the contraction is one word (word_units.h joins at the apostrophe).
  if (lower.size() > 3 && (EndsWith(lower, "n't") || EndsWith(lower, "n\xE2\x80\x99t"))) return true;
  return In(kNegations, lower);
}

bool IsTrailingNegation(std::string_view lower) { return In(kTrailingNegations, lower); }
bool IsFunctionWord(std::string_view lower) { return In(kFunctionWords, lower); }
bool IsScaleWord(std::string_view lower) { return In(kScaleWords, lower); }
bool IsNameLink(std::string_view lower) { return In(kNameLinks, lower); }
bool IsMonth(std::string_view word) { return In(kMonths, word); }
bool IsWeekday(std::string_view word) { return In(kWeekdays, word); }

size_t ComparisonLength(std::string_view w3, std::string_view w2, std::string_view w1) {
  size_t n = 0;
  if (In(kComparisons, w1) || In(kApproximations, w1)) {
    n = 1;
  } else if (!w2.empty() && !w1.empty()) {
    for (std::string_view pair : kComparisonPairs) {
      if (pair.size() == w2.size() + 1 + w1.size() && pair.substr(0, w2.size()) == w2 && pair[w2.size()] == ' ' &&
          pair.substr(w2.size() + 1) == w1) {
        n = 2;
        break;
      }
    }
  }
  if (n == 0) return 0;
  const std::string_view before = n == 1 ? w2 : w3;
  return n + (before == "no" || before == "not" ? 1 : 0);
}

bool IsCjkComparisonBefore(std::string_view text) { return In(kCjkComparisonsBefore, text); }
bool IsCjkComparisonAfter(std::string_view text) { return In(kCjkComparisonsAfter, text); }
bool IsCjkApproximationInside(std::string_view text) { return In(kCjkApproximationsInside, text); }

bool IsTrailingComparison(std::string_view w1, std::string_view w2) {
  for (std::string_view pair : kTrailingComparisons) {
    if (pair.size() == w1.size() + 1 + w2.size() && pair.substr(0, w1.size()) == w1 && pair[w1.size()] == ' ' &&
        pair.substr(w1.size() + 1) == w2) {
      return true;
    }
  }
  return false;
}

std::vector<std::string_view> RelatedWords(std::string_view lower) {
  for (const auto& row : kRelations) {
    if (row[0] != lower) continue;
    std::vector<std::string_view> out;
    for (size_t i = 1; i < std::size(row) && !row[i].empty(); ++i) out.push_back(row[i]);
    return out;
  }
  return {};
}

size_t CounterBytes(std::string_view text, CounterKind* kind) {
  size_t best = 0;
  if (LongerPrefix(kScaleCounters, text, &best)) *kind = CounterKind::kScale;
  if (LongerPrefix(kDateTimeCounters, text, &best)) *kind = CounterKind::kDateTime;
  if (LongerPrefix(kOtherCounters, text, &best)) *kind = CounterKind::kOther;
  return best;
}

}  // namespace lexicon
}  // namespace mooscomp
