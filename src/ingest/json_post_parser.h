// JsonPostParser: what every JSON posts reader does before and around its own fields, and the field readers they
// share (private to src/ingest).
//
// Open() turns a line into a simdjson On-Demand object in place, or a reject: blank lines are skipped, oversized
// lines, invalid UTF-8, and anything that is not a JSON object are rejected with that reason. The Read* helpers
// read one field's value into a Post member; on a wrong type they write a reason naming the field ("field 'time'
// must be a string or integer") and return false; on malformed JSON the reason says so.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vouch/ingest/post_reader.h"

namespace vouch::ingest {

class JsonPostParser {
 public:
  // true with obj ready; false when the line is blank (nothing added) or rejected (a reject added to out).
  bool Open(const Line& line, size_t capacity, ReadBatch& out, simdjson::ondemand::object& obj);
  // After the reader consumed the object: false (and the reason) when the line holds more than one JSON value.
  bool Close(std::string& why);
  // Ends the line of a one-post reader: with no reason yet, Close() checks for more JSON; then any reason rejects
  // the post the line added (false), else the post stands (true).
  bool KeepPost(const Line& line, std::string& why, ReadBatch& out);
  // Gives memory back after an unusually large line (the parser keeps buffers sized for the largest one).
  void Shrink();

 private:
  simdjson::ondemand::parser parser_;
  simdjson::ondemand::document doc_;
};

// Reasons.
std::string JsonError(std::string_view field, simdjson::error_code error);  // malformed JSON inside field
std::string TypeError(std::string_view field, std::string_view expected);   // "field 'x' must be <expected>"
std::string MissingField(std::string_view field);                           // "missing field 'x'"
// A reason for error: a type error naming field and expected, or malformed JSON.
std::string FieldError(std::string_view field, std::string_view expected, simdjson::error_code error);

using simdjson::ondemand::value;

bool ReadString(value v, std::string_view field, std::string& out, std::string& why);
// A string or null (null leaves out empty).
bool ReadOptionalString(value v, std::string_view field, std::string& out, std::string& why);
// A string or an integer (ids: X's are strings, some exports write numbers).
bool ReadId(value v, std::string_view field, std::string& out, std::string& why);
// An id or null.
bool ReadOptionalId(value v, std::string_view field, std::optional<std::string>& out, std::string& why);
// RFC 3339 (or another ParsePostTime spelling) as a string, or epoch seconds as a number (a fraction is dropped)
// or as a string of digits.
bool ReadTime(value v, std::string_view field, int64_t& out, std::string& why);
// An integer or null.
bool ReadCount(value v, std::string_view field, std::optional<int64_t>& out, std::string& why);
// An array of strings (null: empty).
bool ReadStrings(value v, std::string_view field, std::vector<std::string>& out, std::string& why);

// Calls fn(key, value) for every field of a line's object (after Open()) until fn returns false; false with why on
// malformed JSON.
template <typename Fn>
bool ForEachRecordField(simdjson::ondemand::object& obj, std::string& why, Fn&& fn) {
  for (auto f : obj) {
    std::string_view key;
    if (auto e = f.unescaped_key().get(key)) {
      why = std::string("invalid JSON: ") + simdjson::error_message(e);
      return false;
    }
    value v;
    if (auto e = f.value().get(v)) {
      why = JsonError(key, e);
      return false;
    }
    if (!fn(key, v)) return false;
  }
  return true;
}

// Calls fn(key, value) for every field of v (an object named field) until fn returns false; false with why on
// malformed JSON or a non-object.
template <typename Fn>
bool ForEachField(value v, std::string_view field, std::string& why, Fn&& fn) {
  simdjson::ondemand::object obj;
  if (auto e = v.get_object().get(obj)) {
    why = FieldError(field, "an object", e);
    return false;
  }
  for (auto f : obj) {
    std::string_view key;
    if (auto e = f.unescaped_key().get(key)) {
      why = JsonError(field, e);
      return false;
    }
    value child;
    if (auto e = f.value().get(child)) {
      why = JsonError(field, e);
      return false;
    }
    if (!fn(key, child)) return false;
  }
  return true;
}

// Calls fn(element) for every element of v (an array named field; null is empty) until fn returns false; false
// with why on malformed JSON or a non-array.
template <typename Fn>
bool ForEachElement(value v, std::string_view field, std::string& why, Fn&& fn) {
  bool null = false;
  if (auto e = v.is_null().get(null)) {
    why = JsonError(field, e);
    return false;
  }
  if (null) return true;
  simdjson::ondemand::array arr;
  if (auto e = v.get_array().get(arr)) {
    why = FieldError(field, "an array", e);
    return false;
  }
  for (auto item : arr) {
    value element;
    if (auto e = item.get(element)) {
      why = JsonError(field, e);
      return false;
    }
    if (!fn(element)) return false;
  }
  return true;
}

// p.platform = platform. (Out of line: GCC 12 misreports -Wrestrict on a short literal assigned inline.)
void SetPlatform(Post& p, std::string_view platform);

// True when nothing of a handle is left once spaces and '@' are dropped (such a post has no author).
bool BlankHandle(std::string_view handle);

// Strips a leading '@' or '#' the way lists of mentions and hashtags are stored.
std::string_view StripSigil(std::string_view s, char sigil);

}  // namespace vouch::ingest
