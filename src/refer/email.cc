#include "vouch/refer/email.h"

#include <fmt/format.h>

namespace vouch::refer {

Result<std::string> NormalizeEmail(std::string_view email, std::string_view field) {
  size_t begin = 0, end = email.size();
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (begin < end && space(email[begin])) ++begin;
  while (end > begin && space(email[end - 1])) --end;
  std::string out(email.substr(begin, end - begin));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  size_t at = out.find('@');
  bool ok = at != std::string::npos && at > 0 && at + 1 < out.size() && out.find('@', at + 1) == std::string::npos &&
            out.find('.', at + 1) != std::string::npos && out.find_first_of(" \t\r\n") == std::string::npos;
  if (!ok) return Status::InvalidArgument(fmt::format("{}: '{}' is not an e-mail address", field, email));
  return out;
}

std::string CanonicalEmail(std::string_view normalized) {
  size_t at = normalized.rfind('@');
  if (at == std::string_view::npos) return std::string(normalized);
  std::string local(normalized.substr(0, at));
  std::string domain(normalized.substr(at + 1));
  if (size_t plus = local.find('+'); plus != std::string::npos && plus > 0) local.resize(plus);
  if (domain == "googlemail.com") domain = "gmail.com";
  if (domain == "gmail.com") {
    std::string no_dots;
    for (char c : local) {
      if (c != '.') no_dots.push_back(c);
    }
    local = std::move(no_dots);
  }
  return local + "@" + domain;
}

}  // namespace vouch::refer
