// ActsExport: `vouch export acts`: the act of every post that names a brand, one row per post, as the listen
// module classified it at ingest (the `act` of the post's first stored mention, vouch/listen/mention_store.h).
// For scoring the classifier against a labelled set (scripts/eval/score-world.mjs reads the JSON Lines form) and
// for tools that want the acts without the database's table names. Columns are stable and documented in
// docs/metrics.md ("Acts export"); new columns are only ever appended.
//
// Rows come in post time order (then by mention row). Posts that name no brand have no stored mention and are not
// listed.
//
// Thread safety: one run() per export.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "vouch/core/status.h"
#include "vouch/listen/act.h"
#include "vouch/workspace/workspace.h"

namespace vouch::measure {

struct PostActRow {
  std::string id;    // "platform:post id"
  int64_t time = 0;  // the post's, epoch seconds UTC
  PersonId author = 0;
  std::string brand;  // of the first mention
  listen::Act act = listen::Act::kOther;
  listen::Sentiment sentiment = listen::Sentiment::kNeutral;
};

class ActsExport final {
 public:
  explicit ActsExport(Workspace& workspace) : workspace_(workspace) {}
  // Calls sink for each post in time order; stops at the first error sink returns.
  Status run(const std::function<Status(const PostActRow&)>& sink);

 private:
  Workspace& workspace_;
};

// The CSV header line (no newline) and one row (no newline).
std::string ActsCsvHeader();
std::string ActsCsvRow(const PostActRow& row);
nlohmann::ordered_json ActsJson(const PostActRow& row);

}  // namespace vouch::measure
