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

// p.platform = platform. (Out of line: GCC 12 misreports -Wrestrict on a short literal assigned inline.)
void SetPlatform(Post& p, std::string_view platform);

// True when nothing of a handle is left once spaces and '@' are dropped (such a post has no author).
bool BlankHandle(std::string_view handle);

// Strips a leading '@' or '#' the way lists of mentions and hashtags are stored.
std::string_view StripSigil(std::string_view s, char sigil);

}  // namespace vouch::ingest
