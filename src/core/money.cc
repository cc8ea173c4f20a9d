#include "vouch/core/money.h"

#include <array>
#include <cmath>

#include <fmt/format.h>

namespace vouch {
namespace {

// ISO 4217 codes whose minor unit is not the cent.
constexpr std::array<std::string_view, 17> kNoDecimals = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
                                                          "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"};
constexpr std::array<std::string_view, 7> kThreeDecimals = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};

}  // namespace

int CurrencyExponent(std::string_view code) {
  for (std::string_view c : kNoDecimals) {
    if (c == code) return 0;
  }
  for (std::string_view c : kThreeDecimals) {
    if (c == code) return 3;
  }
  return 2;
}

Result<int64_t> ParseMoney(std::string_view text, int exponent) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(fmt::format("amount '{}': {}", text, why));
  };
  if (text.empty()) return bad("empty");
  constexpr int64_t kLimit = int64_t{1} << 62;
  int64_t whole = 0;
  size_t i = 0;
  for (; i < text.size() && text[i] != '.'; ++i) {
    if (text[i] < '0' || text[i] > '9') return bad("expected a non-negative decimal number such as 49.99");
    const int digit = text[i] - '0';
    if (whole > (kLimit - digit) / 10) return bad("too large");  // checked before it could overflow
    whole = whole * 10 + digit;
  }
  if (i == 0 && text.size() == 1) return bad("expected digits");
  int64_t fraction = 0;
  int decimals = 0;
  if (i < text.size()) {  // text[i] == '.'
    for (++i; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') return bad("expected a non-negative decimal number such as 49.99");
      if (++decimals > exponent) return bad(fmt::format("more than {} decimals for this currency", exponent));
      fraction = fraction * 10 + (text[i] - '0');
    }
  }
  for (int d = decimals; d < exponent; ++d) fraction *= 10;
  int64_t scale = 1;
  for (int d = 0; d < exponent; ++d) scale *= 10;
  if (whole > kLimit / scale) return bad("too large");
  return whole * scale + fraction;
}

std::string FormatMoney(double minor_units, int exponent) {
  double scale = 1;
  for (int d = 0; d < exponent; ++d) scale *= 10;
  const double rounded = std::round(minor_units);
  const double major = rounded / scale;
  return fmt::format("{:.{}f}", major, exponent);
}

}  // namespace vouch
