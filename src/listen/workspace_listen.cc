#include "vouch/listen/workspace_listen.h"

#include <fmt/format.h>

#include <limits>

#include "vouch/identity/normalize.h"
#include "vouch/ingest/post_time.h"
#include "vouch/listen/classifier_model.h"
#include "vouch/store/sqlite_store.h"
#include "vouch/trust/trust_store.h"

namespace vouch::listen {

namespace {

Result<SqliteStore*> SqliteOf(Workspace& workspace) {
  auto* sqlite = dynamic_cast<SqliteStore*>(&workspace.store());
  if (sqlite == nullptr) return Status::FailedPrecondition("brand mentions need the SQLite store");
  return sqlite;
}

}  // namespace

Result<std::unique_ptr<MentionStore>> OpenMentionStore(Workspace& workspace) {
  VOUCH_ASSIGN_OR_RETURN(SqliteStore * sqlite, SqliteOf(workspace));
  return std::unique_ptr<MentionStore>(new SqliteMentionStore(sqlite->db()));
}

Result<std::unique_ptr<MentionWriter>> OpenMentionWriter(Workspace& workspace, MentionStore& mentions,
                                                         const std::string& model_path) {
  const auto& brands = workspace.config().brands;
  if (brands.empty()) return std::unique_ptr<MentionWriter>();
  VOUCH_ASSIGN_OR_RETURN(auto model, ClassifierModel::Load("", "", model_path));
  auto writer = MentionWriter::Create(brands, std::move(model), mentions);
  if (!writer.ok()) {
    return Status(writer.status().code(), fmt::format("{}: {}", (workspace.dir() / Workspace::kConfigFile).string(),
                                                      writer.status().message()));
  }
  return std::move(*writer);
}

Result<PersonTrust> LoadPersonTrust(Workspace& workspace) {
  PersonTrust trust;
  VOUCH_ASSIGN_OR_RETURN(SqliteStore * sqlite, SqliteOf(workspace));
  VOUCH_ASSIGN_OR_RETURN(int version, sqlite->db().ComponentVersion("trust"));
  if (version == 0) return trust;
  VOUCH_ASSIGN_OR_RETURN(auto store, trust::SqliteTrustStore::Open(sqlite->db()));
  VOUCH_ASSIGN_OR_RETURN(int64_t at, store->ComputedAt());
  if (at == 0) return trust;
  trust.computed = true;
  VOUCH_ASSIGN_OR_RETURN(auto people, store->Top(std::numeric_limits<int>::max()));
  for (const auto& p : people) trust.reputation.emplace(p.person, p.reputation);
  return trust;
}

Result<const BrandConfig*> FindBrand(const WorkspaceConfig& config, std::string_view name) {
  std::string known;
  for (const BrandConfig& b : config.brands) {
    if (b.name == name) return &b;
    known += fmt::format("{}'{}'", known.empty() ? "" : ", ", b.name);
  }
  if (known.empty()) {
    return Status::NotFound(fmt::format("no brand '{}': vouch.toml has no [[brand]] (see docs/workspace.md)", name));
  }
  return Status::NotFound(fmt::format("no brand '{}' in vouch.toml; brands: {}", name, known));
}

Result<std::unordered_set<std::string>> AnsweredByBrand(MentionStore& mentions, const BrandConfig& brand) {
  std::vector<std::string> handles;
  for (const std::string& h : brand.handles) {
    std::string value = identity::NormalizeHandle("generic", h);
    if (!value.empty()) handles.push_back(std::move(value));
  }
  VOUCH_ASSIGN_OR_RETURN(std::vector<std::string> replied, mentions.RepliedToBy(handles));
  return std::unordered_set<std::string>(replied.begin(), replied.end());
}

Result<int64_t> ParseTimeOption(std::string_view option, std::string_view text) {
  auto digit = [&](size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() == 10 && text[4] == '-' && text[7] == '-' && digit(0) && digit(1) && digit(2) && digit(3) &&
      digit(5) && digit(6) && digit(8) && digit(9)) {
    auto parsed = ingest::ParsePostTime(fmt::format("{}T00:00:00Z", text));
    if (parsed) return *parsed;
  } else if (auto parsed = ingest::ParsePostTime(text)) {
    return *parsed;
  }
  return Status::InvalidArgument(fmt::format(
      "{} '{}': expected a date (2026-03-02), an RFC 3339 time (2026-03-02T12:00:00Z) or epoch seconds", option,
      text));
}

}  // namespace vouch::listen
