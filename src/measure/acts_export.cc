#include "vouch/measure/acts_export.h"

#include <fmt/format.h>

#include <unordered_set>

#include "vouch/listen/mention_store.h"
#include "vouch/measure/csv_cells.h"
#include "vouch/store/sqlite_store.h"

namespace vouch::measure {

Status ActsExport::run(const std::function<Status(const PostActRow&)>& sink) {
  auto* sqlite = dynamic_cast<SqliteStore*>(&workspace_.store());
  if (sqlite == nullptr) return Status::FailedPrecondition("the acts export needs the SQLite store");
  listen::SqliteMentionStore mentions(sqlite->db());
  // Mentions come in (post time, mention row) order, so a post's first mention is the first one seen.
  std::unordered_set<int64_t> seen;
  Status failed;
  VOUCH_TRY(mentions.ForEach({}, [&](const listen::MentionRow& m) {
    if (!seen.insert(m.post_row).second) return true;
    failed = sink({fmt::format("{}:{}", m.platform, m.post_id), m.time, m.author, m.brand, m.act, m.sentiment});
    return failed.ok();
  }));
  return failed;
}

std::string ActsCsvHeader() {
  return "id,time,author,brand,act,sentiment";
}

std::string ActsCsvRow(const PostActRow& r) {
  return fmt::format("{},{},{},{},{},{}", CsvCell(r.id), r.time, r.author, CsvCell(r.brand),
                     listen::ActName(r.act), listen::SentimentName(r.sentiment));
}

nlohmann::ordered_json ActsJson(const PostActRow& r) {
  return {{"id", r.id},
          {"time", r.time},
          {"author", r.author},
          {"brand", r.brand},
          {"act", std::string(listen::ActName(r.act))},
          {"sentiment", std::string(listen::SentimentName(r.sentiment))}};
}

}  // namespace vouch::measure
