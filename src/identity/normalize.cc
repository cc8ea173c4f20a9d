#include "vouch/identity/normalize.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace vouch::identity {
namespace {

std::string_view Trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// ASCII only: handles and e-mail addresses that matter here are ASCII; other bytes (UTF-8) pass unchanged.
std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Providers known to deliver "name+tag@" to "name@".
constexpr std::array<std::string_view, 12> kPlusTagDomains = {
    "gmail.com",   "googlemail.com", "outlook.com", "hotmail.com", "live.com",       "icloud.com",
    "me.com",      "mac.com",        "fastmail.com", "proton.me",  "protonmail.com", "pm.me"};

}  // namespace

std::string NormalizeHandle(std::string_view platform, std::string_view handle) {
  std::string_view h = Trim(handle);
  std::string p = Lower(Trim(platform));
  if (p == "reddit") {
    if (h.size() > 2 && (h[0] == 'u' || h[0] == 'U') && h[1] == '/') h.remove_prefix(2);
    if (h.size() > 3 && h[0] == '/' && (h[1] == 'u' || h[1] == 'U') && h[2] == '/') h.remove_prefix(3);
  }
  while (!h.empty() && h.front() == '@') h.remove_prefix(1);
  return Lower(h);
}

Result<std::string> NormalizeEmail(std::string_view email) {
  std::string_view e = Trim(email);
  size_t at = e.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= e.size() || e.find('@', at + 1) != std::string_view::npos ||
      e.find_first_of(" \t") != std::string_view::npos || e.find('.', at) == std::string_view::npos) {
    return Status::InvalidArgument(fmt::format("'{}' is not an e-mail address", email));
  }
  std::string local = Lower(e.substr(0, at));
  std::string domain = Lower(e.substr(at + 1));
  if (domain == "googlemail.com") domain = "gmail.com";
  if (std::find(kPlusTagDomains.begin(), kPlusTagDomains.end(), domain) != kPlusTagDomains.end()) {
    size_t plus = local.find('+');
    if (plus != std::string::npos && plus > 0) local.resize(plus);
  }
  if (domain == "gmail.com") std::erase(local, '.');
  if (local.empty()) return Status::InvalidArgument(fmt::format("'{}' is not an e-mail address", email));
  return local + "@" + domain;
}

std::string NormalizeCustomerId(std::string_view id) { return std::string(Trim(id)); }

IdentityKey HandleKey(std::string_view platform, std::string_view handle) {
  return {IdentityKind::kHandle, Lower(Trim(platform)), NormalizeHandle(platform, handle)};
}

Result<IdentityKey> EmailKey(std::string_view email) {
  VOUCH_ASSIGN_OR_RETURN(std::string value, NormalizeEmail(email));
  return IdentityKey{IdentityKind::kEmail, "", std::move(value)};
}

IdentityKey CustomerKey(std::string_view id) { return {IdentityKind::kCustomer, "", NormalizeCustomerId(id)}; }

}  // namespace vouch::identity
