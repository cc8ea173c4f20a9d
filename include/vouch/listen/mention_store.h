// MentionStore: the listen module's access to the `mentions` table of the core schema (src/store/core_schema.h):
// one row per (post, brand, span) with the matched term and the post's act and sentiment as classified when the
// row was written. SqliteMentionStore works on the workspace's SQLite connection (SqliteStore::db()), so its writes
// join the transaction the Store has open: ingest writes a post and its mentions in one transaction.
//
// Every insert is idempotent on (post, brand, span_begin): writing the same mentions again adds nothing.
//
// Thread safety: one thread at a time, as the SqliteDb beneath.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/listen/act.h"
#include "vouch/store/records.h"
#include "vouch/store/sqlite_db.h"

namespace vouch::listen {

// A mention to store: what MentionDetector found, with the post's classification.
struct MentionWrite {
  std::string brand;
  std::string term;    // the configured term that matched
  uint32_t begin = 0;  // byte span in posts.text
  uint32_t end = 0;
  Act act = Act::kOther;
  float act_confidence = 0;
  Sentiment sentiment = Sentiment::kNeutral;
  float sentiment_score = 0;
};

// A stored mention joined with its post and the post's author.
struct MentionRow {
  int64_t id = 0;
  int64_t post_row = 0;
  std::string platform;
  std::string post_id;      // the platform's id
  int64_t time = 0;         // the post's, epoch seconds UTC
  PersonId author = 0;      // the person behind the author's identity (after merges)
  std::string author_handle;  // the identity as first seen ("@JaneDoe")
  std::string brand;
  std::string term;
  uint32_t begin = 0, end = 0;
  Act act = Act::kOther;
  float act_confidence = 0;
  Sentiment sentiment = Sentiment::kNeutral;
  float sentiment_score = 0;
  std::optional<std::string> reply_to;
  std::string text;  // the post's text, only when MentionQuery::with_text
};

struct MentionQuery {
  std::vector<std::string> brands;  // empty: every brand
  std::optional<int64_t> since;     // post time >= since
  std::optional<int64_t> until;     // post time < until
  bool with_text = false;
};

class MentionStore {
 public:
  virtual ~MentionStore() = default;
  // Mentions of the post stored as (platform, id); returns how many rows were new. NotFound when no such post.
  virtual Result<int64_t> InsertForPost(std::string_view platform, std::string_view post_id,
                                        const std::vector<MentionWrite>& mentions) = 0;
  // The same for a post known by its row.
  virtual Result<int64_t> InsertForRow(int64_t post_row, const std::vector<MentionWrite>& mentions) = 0;
  // Deletes every stored mention (before classifying the stored posts again); returns how many.
  virtual Result<int64_t> DeleteAll() = 0;
  // Matching mentions in time order (then by row); fn returns false to stop.
  virtual Status ForEach(const MentionQuery& query, const std::function<bool(const MentionRow&)>& fn) = 0;
  virtual Result<int64_t> Count() = 0;
  // "platform:id" of every post that a post by one of these handles (normalised identity values, any platform)
  // replies to: the conversations a brand's own accounts already joined.
  virtual Result<std::vector<std::string>> RepliedToBy(const std::vector<std::string>& handles) = 0;
};

class SqliteMentionStore final : public MentionStore {
 public:
  // db must outlive the store. The table is the core schema's: nothing to migrate.
  explicit SqliteMentionStore(store::SqliteDb& db) : db_(db) {}

  Result<int64_t> InsertForPost(std::string_view platform, std::string_view post_id,
                                const std::vector<MentionWrite>& mentions) override;
  Result<int64_t> InsertForRow(int64_t post_row, const std::vector<MentionWrite>& mentions) override;
  Result<int64_t> DeleteAll() override;
  Status ForEach(const MentionQuery& query, const std::function<bool(const MentionRow&)>& fn) override;
  Result<int64_t> Count() override;
  Result<std::vector<std::string>> RepliedToBy(const std::vector<std::string>& handles) override;

 private:
  store::SqliteDb& db_;
};

// Every mention the query selects, in time order.
Result<std::vector<MentionRow>> ReadMentions(MentionStore& store, const MentionQuery& query);

}  // namespace vouch::listen
