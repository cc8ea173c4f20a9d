// Amounts of money as people type them ("49.99", "1200", "0.5") to and from integer minor units of an ISO 4217
// currency, exactly: no floating point on the way in, so "0.29" is 29 cents, never 28.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vouch/core/status.h"

namespace vouch {

// Decimal places of the currency's minor unit (ISO 4217): 0 for JPY, KRW and the like, 3 for BHD, KWD and the
// like, 2 for every other code. code is upper-case, three letters.
int CurrencyExponent(std::string_view code);

// "49.99" -> 4999 in a 2-decimal currency. A non-negative decimal number with at most `exponent` decimals;
// InvalidArgument (naming the text) for anything else or an amount past 2^62 minor units.
Result<int64_t> ParseMoney(std::string_view text, int exponent);

// 4999 -> "49.99" (exponent 2). Real amounts (a mean over simulation runs) are rounded to the minor unit.
std::string FormatMoney(double minor_units, int exponent);

}  // namespace vouch
