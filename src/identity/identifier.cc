#include "vouch/identity/identifier.h"

#include <fmt/format.h>

#include "vouch/identity/normalize.h"

namespace vouch::identity {

Result<IdentityKey> ParseIdentifier(std::string_view text) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Status::InvalidArgument(fmt::format(
        "'{}' is not an identifier: write email:ADDRESS, customer:ID or PLATFORM:HANDLE (e.g. x:@jane)", text));
  }
  std::string_view kind = text.substr(0, colon);
  std::string_view value = text.substr(colon + 1);
  IdentityKey key;
  if (kind == "email") {
    VOUCH_ASSIGN_OR_RETURN(key, EmailKey(value));
  } else if (kind == "customer") {
    key = CustomerKey(value);
  } else {
    key = HandleKey(kind, value);
  }
  if (key.value.empty()) return Status::InvalidArgument(fmt::format("'{}' names no {}", text, kind));
  return key;
}

std::string FormatIdentifier(const IdentityKey& key) {
  switch (key.kind) {
    case IdentityKind::kEmail: return "email:" + key.value;
    case IdentityKind::kCustomer: return "customer:" + key.value;
    case IdentityKind::kHandle: return key.scope + ":" + key.value;
  }
  return key.value;
}

}  // namespace vouch::identity
