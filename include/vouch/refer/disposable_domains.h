// DisposableDomains: the e-mail domains of throwaway mailbox services, for the disposable_email fraud rule.
//
// The list is the npm package `disposable-email-domains` (deps/packages.txt), read at run time from its folder:
// index.json (exact domains) and wildcard.json (a domain and every subdomain of it). Nothing of it is copied into
// the repository. Immutable after Load, so safe to share between threads.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>

#include "vouch/core/status.h"

namespace vouch::refer {

class DisposableDomains final {
 public:
  DisposableDomains() = default;  // empty: nothing is disposable
  // Reads dir/index.json and, when present, dir/wildcard.json. Errors name the file.
  static Result<DisposableDomains> Load(const std::filesystem::path& dir);
  // $VOUCH_DISPOSABLE_DOMAINS when set, else node_modules/disposable-email-domains in the source tree.
  static std::filesystem::path DefaultDir();

  // Whether the domain of a normalised (lowercase) e-mail address is disposable.
  bool IsDisposableEmail(std::string_view email) const;
  bool IsDisposableDomain(std::string_view domain) const;
  size_t size() const { return exact_.size() + wildcard_.size(); }

 private:
  std::unordered_set<std::string> exact_;
  std::unordered_set<std::string> wildcard_;
};

}  // namespace vouch::refer
