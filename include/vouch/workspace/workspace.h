// Workspace: a directory holding vouch.toml (what the user configures: brands and the verbs' defaults) and
// vouch.db (the embedded SQLite store). Every verb runs against one.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/store/store.h"

namespace vouch {

// One [[brand]] table of vouch.toml. Terms are matched case-insensitively on word boundaries (vouch/listen).
struct BrandConfig {
  std::string name;
  std::vector<std::string> aliases;      // other names: "Apple", "Apple Inc"
  std::vector<std::string> handles;      // "@apple"
  std::vector<std::string> hashtags;     // "#apple"
  std::vector<std::string> cashtags;     // "$AAPL"
  std::vector<std::string> products;     // "iPhone", "MacBook"
  std::vector<std::string> exclusions;   // phrases that cancel a match: "apple pie"
  std::vector<std::string> competitors;  // names of other [[brand]] entries
  // [brand.phrases]: "phrase" = "effect", the classifier's per-brand overrides (listen::PhraseOverrides:
  // neutral, positive, negative or an act), in the table's (sorted) order.
  std::vector<std::pair<std::string, std::string>> phrases;
};

struct WorkspaceConfig {
  std::vector<BrandConfig> brands;
  std::string default_platform = "generic";  // [ingest] platform: handles' platform when a record names none
  std::string default_currency = "USD";      // [ingest] currency: for orders that name none
};

class Workspace {
 public:
  static constexpr const char* kConfigFile = "vouch.toml";
  static constexpr const char* kDatabaseFile = "vouch.db";

  // Creates dir (if needed), a commented vouch.toml (unless one exists: it is kept) and vouch.db (migrated).
  // Returns the opened workspace.
  static Result<std::unique_ptr<Workspace>> Init(const std::filesystem::path& dir);
  // Opens an existing workspace; FailedPrecondition (naming dir and `vouch init`) when there is none.
  static Result<std::unique_ptr<Workspace>> Open(const std::filesystem::path& dir);
  // Parses a vouch.toml; errors name the file, line and column, or the field.
  static Result<WorkspaceConfig> LoadConfig(const std::filesystem::path& file);

  const std::filesystem::path& dir() const { return dir_; }
  const WorkspaceConfig& config() const { return config_; }
  Store& store() { return *store_; }
  // A file inside the workspace (graphs, caches): dir/name.
  std::filesystem::path Path(const std::string& name) const { return dir_ / name; }

 private:
  Workspace(std::filesystem::path dir, WorkspaceConfig config, std::unique_ptr<Store> store)
      : dir_(std::move(dir)), config_(std::move(config)), store_(std::move(store)) {}
  std::filesystem::path dir_;
  WorkspaceConfig config_;
  std::unique_ptr<Store> store_;
};

}  // namespace vouch
