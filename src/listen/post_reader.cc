#include "vouch/listen/post_reader.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <fstream>

namespace vouch::listen {
namespace {

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// Parses one line; returns an empty string on success or the reason it is rejected.
std::string ParseLine(simdjson::ondemand::parser& parser, simdjson::padded_string_view padded, InputPost& post) {
  simdjson::ondemand::document doc;
  if (auto error = parser.iterate(padded).get(doc); error)
    return fmt::format("not JSON ({})", simdjson::error_message(error));
  simdjson::ondemand::object object;
  if (auto error = doc.get_object().get(object); error) return "not JSON: expected one object per line";
  bool has_id = false;
  bool has_text = false;
  for (auto field : object) {
    std::string_view key;
    if (auto error = field.unescaped_key().get(key); error) return "bad field name";
    simdjson::ondemand::value value = field.value();
    if (key == "id") {
      simdjson::ondemand::json_type type;
      if (value.type().get(type)) return "bad value for 'id'";
      if (type == simdjson::ondemand::json_type::string) {
        std::string_view s;
        if (value.get_string().get(s)) return "bad string in 'id'";
        if (s.empty()) return "'id' is empty";
        post.id_json = std::string(TrimRight(value.raw_json_token()));
      } else if (type == simdjson::ondemand::json_type::number) {
        post.id_json = std::string(TrimRight(value.raw_json_token()));
        int64_t i = 0;
        if (value.get_int64().get(i)) return "'id' must be a string or an integer";
      } else {
        return "'id' must be a string or an integer";
      }
      has_id = true;
    } else if (key == "text") {
      std::string_view s;
      if (value.get_string().get(s)) return "'text' must be a string";
      post.text = s;
      has_text = true;
    } else if (key == "act") {
      bool is_null = false;
      if (value.is_null().get(is_null) == simdjson::SUCCESS && is_null) continue;
      std::string_view s;
      if (value.get_string().get(s)) return "'act' must be a string";
      post.act = ParseAct(s);
      if (!post.act) return fmt::format("unknown act '{}' (endorse, complain, share, ask, other)", s);
    } else if (key == "sentiment") {
      bool is_null = false;
      if (value.is_null().get(is_null) == simdjson::SUCCESS && is_null) continue;
      std::string_view s;
      if (value.get_string().get(s)) return "'sentiment' must be a string or null";
      post.sentiment = ParseSentiment(s);
      if (!post.sentiment) return fmt::format("unknown sentiment '{}' (pos, neg, neu)", s);
    }
  }
  if (!has_id) return "missing field 'id'";
  if (!has_text) return "missing field 'text'";
  return {};
}

}  // namespace

Result<std::string> PostReader::ReadFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::IoError(fmt::format("{}: cannot open", file.string()));
  // One read of the whole file: simdjson wants the bytes at hand, and the padding after them lets it parse every
  // line in place.
  std::string buffer;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size > 0) {
    buffer.reserve(static_cast<size_t>(size) + simdjson::SIMDJSON_PADDING);
    buffer.resize(static_cast<size_t>(size));
    in.read(buffer.data(), size);
  }
  if (in.bad()) return Status::IoError(fmt::format("{}: read failed", file.string()));
  return buffer;
}

Status PostReader::run() {
  VOUCH_ASSIGN_OR_RETURN(std::string text, ReadFile(file_));
  return RunOnText(text);
}

Status PostReader::RunOnText(std::string_view text, size_t first_line) {
  posts_.clear();
  rejects_.clear();
  simdjson::ondemand::parser parser;
  posts_.reserve(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  size_t line_no = first_line - 1;
  std::string padded;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    if (TrimRight(line).empty()) continue;
    InputPost post;
    post.line = line_no;
    std::string reason;
    try {
      // simdjson reads up to SIMDJSON_PADDING bytes past the end: a line followed by enough of the file is parsed
      // in place, the last few are copied into a padded buffer.
      const size_t room = static_cast<size_t>(text.data() + text.size() - line.data());
      if (room >= line.size() + simdjson::SIMDJSON_PADDING) {
        reason = ParseLine(parser, simdjson::padded_string_view(line.data(), line.size(), room), post);
      } else {
        padded.reserve(line.size() + simdjson::SIMDJSON_PADDING);
        padded.assign(line);
        reason =
            ParseLine(parser, simdjson::padded_string_view(padded.data(), line.size(), padded.capacity()), post);
      }
    } catch (const simdjson::simdjson_error& e) {
      // simdjson reports some malformed documents only as exceptions from iteration.
      reason = fmt::format("not JSON ({})", e.what());
    }
    if (reason.empty()) {
      posts_.push_back(std::move(post));
    } else {
      rejects_.push_back({line_no, std::move(reason)});
    }
  }
  return Status::Ok();
}

}  // namespace vouch::listen
