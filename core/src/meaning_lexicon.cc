#include "meaning_lexicon.h"

#include <algorithm>
#include <iterator>

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
bool IsMonth(std::string_view word) { return In(kMonths, word); }
bool IsWeekday(std::string_view word) { return In(kWeekdays, word); }

}  // namespace lexicon
}  // namespace mooscomp
