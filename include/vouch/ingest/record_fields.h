// Field parsers shared by the record ingests (ratings, orders, people): money in integer minor units, ISO 4217
// currencies, times and ratings. Each error message names the field (the caller passes its name), so a reject
// reads "amount_minor '12.50' is not a whole number of minor units".
//
// All functions are pure and thread safe. Inputs are trimmed of surrounding spaces first.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vouch/core/status.h"

namespace vouch::ingest {

// Surrounding spaces and tabs removed.
std::string_view TrimField(std::string_view text);

// A non-negative integer that fits int64: "1250" is 12.50 in a two-decimal currency. Rejects "12.50", "-3",
// "+3", "1e3", "" and anything beyond 9223372036854775807, naming field.
Result<int64_t> ParseAmountMinor(std::string_view field, std::string_view text);

// Three ASCII letters, returned upper-cased ("usd" -> "USD"). Does not check the ISO 4217 list itself: a shop may
// sell in a currency newer than this build.
Result<std::string> ParseCurrency(std::string_view field, std::string_view text);

// A time as epoch seconds: a number ("1714564800", may be negative; a fraction "1289241911.72836" is dropped,
// rounding toward the past) or RFC 3339 ("2024-05-01T12:00:00Z",
// "2024-05-01T14:00:00+02:00", fractional seconds dropped; a space may stand for the 'T').
Result<int64_t> ParseTime(std::string_view field, std::string_view text);

// A finite decimal number ("4", "-2.5", "1e-1"); NaN and infinities are rejected.
Result<double> ParseFiniteNumber(std::string_view field, std::string_view text);

}  // namespace vouch::ingest
