#include "ingest/json_post_parser.h"

#include <fmt/format.h>

#include <charconv>

#include "vouch/ingest/post_time.h"

namespace vouch::ingest {

namespace sj = simdjson;

namespace {

// Above this the parser's buffers are given back after the line: one 10 MB record must not keep 50 MB alive for
// the rest of a long ingest.
constexpr size_t kShrinkAbove = size_t{4} << 20;

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

bool IsTypeError(sj::error_code e) {
  return e == sj::INCORRECT_TYPE || e == sj::NUMBER_OUT_OF_RANGE;
}

}  // namespace

bool JsonPostParser::Open(const Line& line, size_t capacity, ReadBatch& out, sj::ondemand::object& obj) {
  if (line.oversized) {
    out.AddReject(line.number, "line is longer than the limit for one record (--max-line-bytes)", line.text);
    return false;
  }
  if (IsBlank(line.text)) return false;
  if (!sj::validate_utf8(line.text.data(), line.text.size())) {
    out.AddReject(line.number, "invalid UTF-8", line.text);
    return false;
  }
  if (parser_.capacity() > kShrinkAbove && line.text.size() < kShrinkAbove) Shrink();
  auto error = parser_.iterate(sj::padded_string_view(line.text.data(), line.text.size(), capacity)).get(doc_);
  if (!error) error = doc_.get_object().get(obj);
  if (error == sj::INCORRECT_TYPE) {
    out.AddReject(line.number, "not a JSON object", line.text);
    return false;
  }
  if (error) {
    out.AddReject(line.number, fmt::format("invalid JSON: {}", sj::error_message(error)), line.text);
    return false;
  }
  return true;
}

bool JsonPostParser::Close(std::string& why) {
  // After the object, the document must be over: "{...} {...}" or "{...} garbage" is not one record.
  const char* rest = nullptr;
  if (doc_.current_location().get(rest) == sj::SUCCESS) {
    why = "invalid JSON: more than one value on the line";
    return false;
  }
  return true;
}

bool JsonPostParser::KeepPost(const Line& line, std::string& why, ReadBatch& out) {
  if (why.empty()) Close(why);
  if (why.empty()) return true;
  out.RejectLastPost(std::move(why), line.text);
  return false;
}

void JsonPostParser::Shrink() {
  parser_ = sj::ondemand::parser();
}

std::string JsonError(std::string_view field, sj::error_code error) {
  return fmt::format("invalid JSON in field '{}': {}", field, sj::error_message(error));
}

std::string TypeError(std::string_view field, std::string_view expected) {
  return fmt::format("field '{}' must be {}", field, expected);
}

std::string MissingField(std::string_view field) {
  return fmt::format("missing field '{}'", field);
}

std::string FieldError(std::string_view field, std::string_view expected, sj::error_code error) {
  return IsTypeError(error) ? TypeError(field, expected) : JsonError(field, error);
}

namespace {

// The steps the readers below share; each is false with why (malformed JSON in field) on failure.
bool ReadIsNull(value v, std::string_view field, bool& null, std::string& why) {
  if (auto e = v.is_null().get(null)) {
    why = JsonError(field, e);
    return false;
  }
  return true;
}
bool ReadType(value v, std::string_view field, sj::ondemand::json_type& type, std::string& why) {
  if (auto e = v.type().get(type)) {
    why = JsonError(field, e);
    return false;
  }
  return true;
}
// v's string once its type is known to be a string (so any failure is malformed JSON).
bool ReadStringOfType(value v, std::string_view field, std::string_view& s, std::string& why) {
  if (auto e = v.get_string().get(s)) {
    why = JsonError(field, e);
    return false;
  }
  return true;
}

}  // namespace

bool ReadString(value v, std::string_view field, std::string& out, std::string& why) {
  std::string_view s;
  if (auto e = v.get_string().get(s)) {
    why = FieldError(field, "a string", e);
    return false;
  }
  out.assign(s);
  return true;
}

bool ReadOptionalString(value v, std::string_view field, std::string& out, std::string& why) {
  bool null = false;
  if (!ReadIsNull(v, field, null, why)) return false;
  if (null) {
    out.clear();
    return true;
  }
  std::string_view s;
  if (auto e = v.get_string().get(s)) {
    why = FieldError(field, "a string or null", e);
    return false;
  }
  out.assign(s);
  return true;
}

namespace {

bool ReadIdValue(value v, std::string_view field, std::string& out, std::string& why, const char* expected) {
  sj::ondemand::json_type type;
  if (!ReadType(v, field, type, why)) return false;
  if (type == sj::ondemand::json_type::string) {
    std::string_view s;
    if (!ReadStringOfType(v, field, s, why)) return false;
    if (s.empty()) {
      why = fmt::format("field '{}' is empty", field);
      return false;
    }
    out.assign(s);
    return true;
  }
  if (type == sj::ondemand::json_type::number) {
    uint64_t n = 0;
    if (v.get_uint64().get(n) == sj::SUCCESS) {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof buf, n);
      out.assign(buf, r.ptr);
      return true;
    }
  }
  why = TypeError(field, expected);
  return false;
}

}  // namespace

bool ReadId(value v, std::string_view field, std::string& out, std::string& why) {
  return ReadIdValue(v, field, out, why, "a string or a non-negative integer");
}

bool ReadOptionalId(value v, std::string_view field, std::optional<std::string>& out, std::string& why) {
  bool null = false;
  if (!ReadIsNull(v, field, null, why)) return false;
  if (null) {
    out.reset();
    return true;
  }
  if (!out) out.emplace();
  return ReadIdValue(v, field, *out, why, "a string, a non-negative integer or null");
}

bool ReadTime(value v, std::string_view field, int64_t& out, std::string& why) {
  sj::ondemand::json_type type;
  if (!ReadType(v, field, type, why)) return false;
  if (type == sj::ondemand::json_type::string) {
    std::string_view s;
    if (!ReadStringOfType(v, field, s, why)) return false;
    auto t = ParsePostTime(s);
    if (!t) {
      why = fmt::format("field '{}': '{}' is not an RFC 3339 time or epoch seconds", field, s.substr(0, 64));
      return false;
    }
    out = *t;
    return true;
  }
  if (type == sj::ondemand::json_type::number) {
    int64_t n = 0;
    if (v.get_int64().get(n) == sj::SUCCESS) {
      out = n;
      return true;
    }
    double d = 0;
    // Pushshift writes some created_utc values as floats ("1425000000.0").
    if (v.get_double().get(d) == sj::SUCCESS && d > -1e15 && d < 1e15) {
      out = static_cast<int64_t>(d);
      return true;
    }
  }
  why = TypeError(field, "a string or integer");
  return false;
}

bool ReadCount(value v, std::string_view field, std::optional<int64_t>& out, std::string& why) {
  bool null = false;
  if (!ReadIsNull(v, field, null, why)) return false;
  if (null) {
    out.reset();
    return true;
  }
  int64_t n = 0;
  if (auto e = v.get_int64().get(n)) {
    why = FieldError(field, "an integer or null", e);
    return false;
  }
  out = n;
  return true;
}

bool ReadStrings(value v, std::string_view field, std::vector<std::string>& out, std::string& why) {
  out.clear();
  bool null = false;
  if (!ReadIsNull(v, field, null, why)) return false;
  if (null) return true;
  sj::ondemand::array arr;
  if (auto e = v.get_array().get(arr)) {
    why = FieldError(field, "an array of strings", e);
    return false;
  }
  for (auto item : arr) {
    std::string_view s;
    if (auto e = item.get_string().get(s)) {
      why = FieldError(field, "an array of strings", e);
      return false;
    }
    out.emplace_back(s);
  }
  return true;
}

bool BlankHandle(std::string_view handle) {
  return handle.find_first_not_of(" \t@") == std::string_view::npos;
}

void SetPlatform(Post& p, std::string_view platform) {
  p.platform.assign(platform);
}

std::string_view StripSigil(std::string_view s, char sigil) {
  while (!s.empty() && s.front() == sigil) s.remove_prefix(1);
  return s;
}

}  // namespace vouch::ingest
