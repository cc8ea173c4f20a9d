#include "vouch/refer/disposable_domains.h"
#include "vouch/core/source_dir.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace vouch::refer {
namespace {

Status ReadList(const std::filesystem::path& file, std::unordered_set<std::string>& out) {
  std::ifstream in(file);
  if (!in) return Status::NotFound(fmt::format("{}: cannot read the disposable e-mail domain list", file.string()));
  std::stringstream text;
  text << in.rdbuf();
  auto j = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_array()) {
    return Status::InvalidArgument(fmt::format("{}: expected a JSON array of domains", file.string()));
  }
  for (const auto& d : j) {
    if (!d.is_string()) return Status::InvalidArgument(fmt::format("{}: a domain is not a string", file.string()));
    std::string domain = d.get<std::string>();
    for (char& c : domain) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    out.insert(std::move(domain));
  }
  return Status::Ok();
}

}  // namespace

Result<DisposableDomains> DisposableDomains::Load(const std::filesystem::path& dir) {
  DisposableDomains out;
  VOUCH_TRY(ReadList(dir / "index.json", out.exact_));
  if (std::filesystem::exists(dir / "wildcard.json")) VOUCH_TRY(ReadList(dir / "wildcard.json", out.wildcard_));
  return out;
}

std::filesystem::path DisposableDomains::DefaultDir() {
  if (const char* env = std::getenv("VOUCH_DISPOSABLE_DOMAINS"); env != nullptr && *env != '\0') return env;
  return SourceDir() / "node_modules" / "disposable-email-domains";
}

bool DisposableDomains::IsDisposableDomain(std::string_view domain) const {
  if (exact_.count(std::string(domain)) > 0) return true;
  // A wildcard entry covers the domain itself and every subdomain: try each suffix at a dot.
  for (std::string_view d = domain;;) {
    if (wildcard_.count(std::string(d)) > 0) return true;
    size_t dot = d.find('.');
    if (dot == std::string_view::npos) return false;
    d.remove_prefix(dot + 1);
  }
}

bool DisposableDomains::IsDisposableEmail(std::string_view email) const {
  size_t at = email.rfind('@');
  if (at == std::string_view::npos) return false;
  return IsDisposableDomain(email.substr(at + 1));
}

}  // namespace vouch::refer
