#include "vouch/workspace/workspace.h"

#include <fmt/format.h>

#include <fstream>
#include <toml++/toml.h>

#include "vouch/store/sqlite_store.h"

namespace vouch {
namespace fs = std::filesystem;

namespace {

constexpr const char* kConfigTemplate = R"toml(# Vouch workspace configuration. See docs/workspace.md for every key.

# Each [[brand]] is a brand Vouch listens for. Terms match case-insensitively on word boundaries.
# [[brand]]
# name        = "Acme"
# aliases     = ["Acme", "Acme Corp"]
# handles     = ["@acme"]
# hashtags    = ["#acme"]
# cashtags    = ["$ACME"]
# products    = ["Acme Rocket", "Acme Anvil"]
# exclusions  = ["acme of perfection"]   # phrases that cancel a match
# competitors = ["Globex"]               # names of other [[brand]] entries
# [brand.phrases]                        # the classifier's overrides for this brand (docs/listen.md)
# "Rocket Crash" = "neutral"             # a product name: its words carry no sentiment or act

[ingest]
platform = "generic"   # handles' platform when a record names none
currency = "USD"       # orders' currency when a record names none
)toml";

Status FieldError(const fs::path& file, const toml::source_region& where, std::string_view what) {
  return Status::InvalidArgument(
      fmt::format("{}:{}:{}: {}", file.string(), where.begin.line, where.begin.column, what));
}

Status ReadStrings(const fs::path& file, const toml::table& t, std::string_view key, std::vector<std::string>& out) {
  const toml::node* node = t.get(key);
  if (node == nullptr) return Status::Ok();
  const toml::array* arr = node->as_array();
  if (arr == nullptr) return FieldError(file, node->source(), fmt::format("'{}' must be an array of strings", key));
  for (const auto& item : *arr) {
    auto s = item.value<std::string>();
    if (!s) return FieldError(file, item.source(), fmt::format("'{}' must hold only strings", key));
    out.push_back(*s);
  }
  return Status::Ok();
}

Result<BrandConfig> ReadBrand(const fs::path& file, const toml::table& t) {
  BrandConfig brand;
  auto name = t["name"].value<std::string>();
  if (!name || name->empty()) return FieldError(file, t.source(), "[[brand]] needs a non-empty 'name'");
  brand.name = *name;
  VOUCH_TRY(ReadStrings(file, t, "aliases", brand.aliases));
  VOUCH_TRY(ReadStrings(file, t, "handles", brand.handles));
  VOUCH_TRY(ReadStrings(file, t, "hashtags", brand.hashtags));
  VOUCH_TRY(ReadStrings(file, t, "cashtags", brand.cashtags));
  VOUCH_TRY(ReadStrings(file, t, "products", brand.products));
  VOUCH_TRY(ReadStrings(file, t, "exclusions", brand.exclusions));
  VOUCH_TRY(ReadStrings(file, t, "competitors", brand.competitors));
  if (const toml::node* node = t.get("phrases")) {
    const toml::table* phrases = node->as_table();
    if (phrases == nullptr) {
      return FieldError(file, node->source(), R"('phrases' must be a table: "phrase" = "effect")");
    }
    for (const auto& [phrase, effect] : *phrases) {
      auto value = effect.value<std::string>();
      if (!value) {
        return FieldError(file, effect.source(), fmt::format("phrases.\"{}\" must be a string", phrase.str()));
      }
      brand.phrases.emplace_back(std::string(phrase.str()), *value);
    }
  }
  return brand;
}

}  // namespace

Result<WorkspaceConfig> Workspace::LoadConfig(const fs::path& file) {
  // Debian's toml++ is built with exceptions: the parse error is caught here and becomes a Status.
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& err) {
    return FieldError(file, err.source(), err.description());
  }
  WorkspaceConfig config;
  if (const toml::node* brands = root.get("brand")) {
    const toml::array* arr = brands->as_array();
    if (arr == nullptr) return FieldError(file, brands->source(), "'brand' must be an array of tables ([[brand]])");
    for (const auto& item : *arr) {
      const toml::table* t = item.as_table();
      if (t == nullptr) return FieldError(file, item.source(), "each [[brand]] must be a table");
      VOUCH_ASSIGN_OR_RETURN(BrandConfig brand, ReadBrand(file, *t));
      for (const auto& other : config.brands) {
        if (other.name == brand.name) {
          return FieldError(file, t->source(), fmt::format("brand '{}' is defined twice", brand.name));
        }
      }
      config.brands.push_back(std::move(brand));
    }
  }
  for (const auto& brand : config.brands) {
    for (const auto& competitor : brand.competitors) {
      bool known = false;
      for (const auto& other : config.brands) known = known || other.name == competitor;
      if (!known) {
        return Status::InvalidArgument(fmt::format(
            "{}: brand '{}' names competitor '{}', which has no [[brand]] entry", file.string(), brand.name,
            competitor));
      }
    }
  }
  if (const toml::table* ingest = root["ingest"].as_table()) {
    if (auto p = (*ingest)["platform"].value<std::string>()) config.default_platform = *p;
    if (auto c = (*ingest)["currency"].value<std::string>()) config.default_currency = *c;
  }
  return config;
}

Result<std::unique_ptr<Workspace>> Workspace::Init(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IoError(fmt::format("{}: cannot create directory: {}", dir.string(), ec.message()));
  fs::path config = dir / kConfigFile;
  if (!fs::exists(config)) {
    // Write to a temporary name and rename, so that a crash never leaves a half-written vouch.toml.
    fs::path tmp = dir / (std::string(kConfigFile) + ".tmp");
    {
      std::ofstream out(tmp);
      out << kConfigTemplate;
      if (!out.flush()) return Status::IoError(fmt::format("{}: cannot write", tmp.string()));
    }
    fs::rename(tmp, config, ec);
    if (ec) return Status::IoError(fmt::format("{}: cannot write: {}", config.string(), ec.message()));
  }
  return Open(dir);
}

Result<std::unique_ptr<Workspace>> Workspace::Open(const fs::path& dir) {
  fs::path config_file = dir / kConfigFile;
  if (!fs::exists(config_file)) {
    return Status::FailedPrecondition(fmt::format(
        "{} is not a Vouch workspace (no {}); create one with `vouch init {}`", dir.string(), kConfigFile,
        dir.string()));
  }
  VOUCH_ASSIGN_OR_RETURN(WorkspaceConfig config, LoadConfig(config_file));
  VOUCH_ASSIGN_OR_RETURN(auto store, SqliteStore::Open((dir / kDatabaseFile).string()));
  return std::unique_ptr<Workspace>(new Workspace(dir, std::move(config), std::move(store)));
}

}  // namespace vouch
