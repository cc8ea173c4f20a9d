#include "vouch/listen/cue_book.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "vouch/listen/vocabulary.h"
#include "vouch/core/source_dir.h"

namespace vouch::listen {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

int WeightIndex(std::string_view key) {
  if (key == "sentiment") return 0;
  if (auto act = ParseAct(key)) return 1 + static_cast<int>(*act);
  return -1;
}

}  // namespace

Result<std::filesystem::path> CueBook::LocateDefault() {
  if (const char* env = std::getenv("VOUCH_CUES"); env != nullptr && *env != '\0') {
    if (!std::filesystem::exists(env)) return Status::NotFound(fmt::format("VOUCH_CUES={}: no such file", env));
    return std::filesystem::path(env);
  }
  const std::filesystem::path file = SourceDir() / "src" / "listen" / "cues.txt";
  if (!std::filesystem::exists(file)) {
    return Status::NotFound(
        fmt::format("no cue file: {} is missing (name one with --cues or VOUCH_CUES)", file.string()));
  }
  return file;
}

Result<CueBook> CueBook::Load(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return Status::IoError(fmt::format("{}: cannot open cue file", file.string()));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return Parse(buffer.str(), file.string());
}

std::array<float, kCueWeights> CueBook::SignalWeights(std::string_view name) const {
  for (const auto& s : signals_) {
    if (s.name == name) return s.weights;
  }
  return {};
}

float CueBook::Setting(std::string_view name, float fallback) const {
  auto it = settings_.find(std::string(name));
  return it == settings_.end() ? fallback : it->second;
}

Result<CueBook> CueBook::Parse(std::string_view text, const std::string& name) {
  CueBook book;
  std::array<float, kCueWeights>* weights = nullptr;
  CueFamily* family = nullptr;
  size_t number = 0;
  bool in_settings = false;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++number;
    line = Trim(line);
    // "# ..." is a comment; "#fail" (no space) is a hashtag term.
    if (line.empty() || (line.front() == '#' && (line.size() == 1 || line[1] == ' ' || line[1] == '#'))) continue;
    auto where = [&] { return fmt::format("{}:{}", name, number); };
    if (line.front() == '[') {
      if (line.back() != ']') return Status::InvalidArgument(where() + ": section header must end with ']'");
      const std::string_view inner = Trim(line.substr(1, line.size() - 2));
      const size_t space = inner.find(' ');
      const std::string_view kind = inner.substr(0, space);
      const std::string_view section = space == std::string_view::npos ? "" : Trim(inner.substr(space + 1));
      if (section.empty() && kind != "settings")
        return Status::InvalidArgument(where() + ": section needs a name: [family NAME]");
      in_settings = false;
      if (kind == "family") {
        book.families_.push_back({});
        family = &book.families_.back();
        family->name = section;
        weights = &family->weights;
      } else if (kind == "settings") {
        family = nullptr;
        weights = nullptr;
        in_settings = true;
        continue;
      } else if (kind == "signal") {
        book.signals_.push_back({});
        book.signals_.back().name = section;
        family = nullptr;
        weights = &book.signals_.back().weights;
      } else {
        return Status::InvalidArgument(where() + fmt::format(": unknown section kind '{}'", kind));
      }
      continue;
    }
    if (in_settings) {
      const size_t eq = line.find(" = ");
      if (eq == std::string_view::npos) return Status::InvalidArgument(where() + ": expected 'name = number'");
      const std::string value(Trim(line.substr(eq + 3)));
      char* end = nullptr;
      const float v = std::strtof(value.c_str(), &end);
      if (end == value.c_str() || *end != '\0') {
        return Status::InvalidArgument(where() + fmt::format(": setting '{}' is not a number", value));
      }
      book.settings_[std::string(Trim(line.substr(0, eq)))] = v;
      continue;
    }
    if (weights == nullptr) return Status::InvalidArgument(where() + ": term or weight before any section");
    const size_t eq = line.find(" = ");
    if (eq != std::string_view::npos) {
      const std::string_view key = Trim(line.substr(0, eq));
      const std::string value(Trim(line.substr(eq + 3)));
      if (key == "position") {
        if (family == nullptr || value != "start") {
          return Status::InvalidArgument(where() + ": position = start, and only in a family");
        }
        family->at_start = true;
        continue;
      }
      if (key == "role" || key == "scope") {
        if (family == nullptr)
          return Status::InvalidArgument(where() + ": only a family has a " + std::string(key));
        if (key == "scope") {
          if (value != "own") return Status::InvalidArgument(where() + ": scope must be 'own'");
          family->own_words = true;
        } else if (value == "negator")
          family->role |= kWordNegator;
        else if (value == "intensifier")
          family->role |= kWordIntensifier;
        else if (value == "dampener")
          family->role |= kWordDampener;
        else if (value == "contrast")
          family->role |= kWordContrast;
        else if (value == "neutral")
          family->role |= kWordNeutral;
        else
          return Status::InvalidArgument(where() + fmt::format(": unknown role '{}'", value));
        continue;
      }
      const int index = WeightIndex(key);
      if (index < 0) {
        return Status::InvalidArgument(
            where() + fmt::format(": unknown weight '{}' (sentiment, endorse, complain, share, ask, other)", key));
      }
      char* end = nullptr;
      const float w = std::strtof(value.c_str(), &end);
      if (end == value.c_str() || *end != '\0') {
        return Status::InvalidArgument(where() + fmt::format(": weight '{}' is not a number", value));
      }
      (*weights)[static_cast<size_t>(index)] = w;
      continue;
    }
    if (family == nullptr) return Status::InvalidArgument(where() + ": a signal has weights, not terms");
    family->terms.emplace_back(line);
  }
  return book;
}

}  // namespace vouch::listen
