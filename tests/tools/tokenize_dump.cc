// Tokenises JSON-lines strings with a WordPiece vocab and prints ids and byte spans, one
// JSON object per input line, for parity checks against other implementations.
//
//   tokenize_dump VOCAB.txt [--cased] < strings.jsonl
//   in:  "Hello, world"                 (one JSON string per line)
//   out: {"ids":[...],"begin":[...],"end":[...],"word_start":[...]}
//        or {"error":"..."} for a line that cannot be read or encoded.
// --cased: no lower-casing and, as Hugging Face does when strip_accents is unset, no
// accent stripping (bert-base-multilingual-cased).
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "mooscomp/tokenizer.h"
#include "utf8.h"

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ReadHex4(const std::string& s, size_t* i, char32_t* out) {
  if (*i + 4 > s.size()) return false;
  char32_t v = 0;
  for (int k = 0; k < 4; ++k) {
    const int h = HexValue(s[*i + k]);
    if (h < 0) return false;
    v = v * 16 + static_cast<char32_t>(h);
  }
  *i += 4;
  *out = v;
  return true;
}

// Parses one JSON string literal (the whole line) into UTF-8.
bool ParseJsonString(const std::string& line, std::string* out) {
  size_t i = line.find('"');
  if (i == std::string::npos) return false;
  ++i;
  out->clear();
  while (i < line.size()) {
    const char c = line[i++];
    if (c == '"') return true;
    if (c != '\\') {
      out->push_back(c);
      continue;
    }
    if (i >= line.size()) return false;
    const char e = line[i++];
    switch (e) {
      case '"': out->push_back('"'); break;
      case '\\': out->push_back('\\'); break;
      case '/': out->push_back('/'); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'u': {
        char32_t cp;
        if (!ReadHex4(line, &i, &cp)) return false;
        if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair
          char32_t low;
          if (line.compare(i, 2, "\\u") != 0) return false;
          i += 2;
          if (!ReadHex4(line, &i, &low) || low < 0xDC00 || low > 0xDFFF) return false;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          return false;
        }
        mooscomp::AppendUtf8(cp, out);
        break;
      }
      default: return false;
    }
  }
  return false;
}

template <typename T>
void PrintArray(const char* name, const std::vector<T>& values, std::string* out) {
  *out += '"';
  *out += name;
  *out += "\":[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) *out += ',';
    *out += std::to_string(static_cast<int64_t>(values[i]));
  }
  *out += ']';
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s VOCAB.txt [--cased] < strings.jsonl\n", argv[0]);
    return 2;
  }
  mooscomp::WordPieceOptions options;
  for (int a = 2; a < argc; ++a) {
    const std::string flag = argv[a];
    if (flag == "--cased") {
      options.lowercase = false;
      options.strip_accents = false;
    } else {
      std::fprintf(stderr, "unknown flag %s\n", argv[a]);
      return 2;
    }
  }
  std::ifstream file(argv[1], std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  std::stringstream vocab;
  vocab << file.rdbuf();
  auto loaded = mooscomp::LoadWordPiece(vocab.str(), options);
  if (!loaded.ok()) {
    std::fprintf(stderr, "cannot load vocab: %s\n", loaded.status().message().c_str());
    return 1;
  }
  const mooscomp::Tokenizer& tokenizer = *loaded.value();

  std::string line, text, json;
  mooscomp::Encoding encoding;
  while (std::getline(std::cin, line)) {
    json.clear();
    encoding.clear();
    mooscomp::Status status;
    if (!ParseJsonString(line, &text)) {
      status = mooscomp::InvalidArgument("not a JSON string");
    } else if (mooscomp::FindInvalidUtf8(text) != text.size()) {
      status = mooscomp::InvalidUtf8("not valid UTF-8");
    } else {
      status = tokenizer.Encode(text, 0, &encoding);
    }
    if (!status.ok()) {
      json = "{\"error\":\"" + status.message() + "\"}";
    } else {
      json += '{';
      PrintArray("ids", encoding.ids, &json);
      json += ',';
      PrintArray("begin", encoding.begin, &json);
      json += ',';
      PrintArray("end", encoding.end, &json);
      json += ',';
      PrintArray("word_start", encoding.word_start, &json);
      json += '}';
    }
    std::cout << json << '\n';
  }
  return 0;
}
