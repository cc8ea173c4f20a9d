// Small, fast formatting helpers for the world's files: JSON strings, CSV fields, times. The files run to
// gigabytes, so these append to a caller's buffer instead of building temporaries.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vouch::synth {

// Appends s as a JSON string literal (quotes included). s is UTF-8; control characters are escaped.
void AppendJsonString(std::string_view s, std::string& out);
// Appends s as a CSV field (RFC 4180: quoted when it holds a comma, a quote or a line break).
void AppendCsvField(std::string_view s, std::string& out);
// "2026-03-02T14:03:11Z" (with_millis: "2026-03-02T14:03:11.000Z").
void AppendRfc3339(int64_t epoch_seconds, bool with_millis, std::string& out);
// Unsigned decimal.
void AppendUint(uint64_t v, std::string& out);
// Base-36, lower case (Reddit ids).
std::string Base36(uint64_t v);

}  // namespace vouch::synth
