#include "vouch/listen/sentiment_lexicon.h"
#include "vouch/core/source_dir.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <fstream>

namespace vouch::listen {

Result<std::filesystem::path> SentimentLexicon::LocateDefault() {
  if (const char* env = std::getenv("VOUCH_LEXICON"); env != nullptr && *env != '\0') {
    if (!std::filesystem::exists(env)) {
      return Status::NotFound(fmt::format("VOUCH_LEXICON={}: no such file", env));
    }
    return std::filesystem::path(env);
  }
  const std::filesystem::path installed =
      SourceDir() / "node_modules" / "vader-sentiment" / "vader_lexicon.txt";
  if (std::filesystem::exists(installed)) return installed;
  return Status::NotFound(fmt::format(
      "no sentiment lexicon: {} is missing (run scripts/install-deps.sh, or name one with --lexicon or "
      "VOUCH_LEXICON)",
      installed.string()));
}

Result<SentimentLexicon> SentimentLexicon::Load(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return Status::IoError(fmt::format("{}: cannot open lexicon", file.string()));
  SentimentLexicon lexicon;
  lexicon.source_ = file;
  std::string line;
  size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const size_t tab = line.find('\t');
    if (tab == std::string::npos || tab == 0) {
      return Status::InvalidArgument(
          fmt::format("{}:{}: expected 'token<TAB>valence', got '{}'", file.string(), number, line.substr(0, 60)));
    }
    const size_t end = line.find('\t', tab + 1);
    const std::string value = line.substr(tab + 1, end == std::string::npos ? std::string::npos : end - tab - 1);
    char* parsed_end = nullptr;
    const float valence = std::strtof(value.c_str(), &parsed_end);
    if (parsed_end == value.c_str()) {
      return Status::InvalidArgument(
          fmt::format("{}:{}: valence '{}' is not a number", file.string(), number, value));
    }
    lexicon.entries_.emplace_back(line.substr(0, tab), valence);
  }
  if (lexicon.entries_.empty()) return Status::InvalidArgument(fmt::format("{}: empty lexicon", file.string()));
  return lexicon;
}

}  // namespace vouch::listen
