#include "vouch/listen/mention_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <tuple>

#include "vouch/store/rows.h"

namespace vouch::listen {

using store::Statement;

namespace {

// The insert finds the post by its row: OR IGNORE makes a second write of the same (post, brand, span) a no-op.
constexpr std::string_view kInsertByRow =
    "INSERT OR IGNORE INTO mentions (post_id, brand, term, span_begin, span_end, act, act_confidence, sentiment, "
    "sentiment_score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

Result<int64_t> InsertAll(store::SqliteDb& db, int64_t post_row, const std::vector<MentionWrite>& mentions) {
  int64_t added = 0;
  for (const MentionWrite& m : mentions) {
    VOUCH_ASSIGN_OR_RETURN(Statement * q, db.Prepare(kInsertByRow));
    q->Bind(1, post_row)
        .Bind(2, m.brand)
        .Bind(3, m.term)
        .Bind(4, static_cast<int64_t>(m.begin))
        .Bind(5, static_cast<int64_t>(m.end))
        .Bind(6, ActName(m.act))
        .Bind(7, static_cast<double>(m.act_confidence))
        .Bind(8, SentimentName(m.sentiment))
        .Bind(9, static_cast<double>(m.sentiment_score));
    VOUCH_TRY(q->Run());
    added += db.Changes();
  }
  return added;
}

}  // namespace

Result<int64_t> SqliteMentionStore::InsertForPost(std::string_view platform, std::string_view post_id,
                                                  const std::vector<MentionWrite>& mentions) {
  if (mentions.empty()) return int64_t{0};
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("SELECT id FROM posts WHERE platform = ? AND external_id = ?"));
  q->Bind(1, platform).Bind(2, post_id);
  VOUCH_ASSIGN_OR_RETURN(std::optional<int64_t> row, store::FirstValue<int64_t>(*q));
  if (!row) return Status::NotFound(fmt::format("no stored post {}/{} for its mentions", platform, post_id));
  return InsertAll(db_, *row, mentions);
}

Result<int64_t> SqliteMentionStore::InsertForRow(int64_t post_row, const std::vector<MentionWrite>& mentions) {
  return InsertAll(db_, post_row, mentions);
}

Result<int64_t> SqliteMentionStore::DeleteAll() {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("DELETE FROM mentions"));
  VOUCH_TRY(q->Run());
  return db_.Changes();
}

Result<int64_t> SqliteMentionStore::Count() {
  VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare("SELECT COUNT(*) FROM mentions"));
  VOUCH_ASSIGN_OR_RETURN(std::optional<int64_t> n, store::FirstValue<int64_t>(*q));
  return n.value_or(0);
}

// The posts' text and reply target live in the store's body file: read through the store connection's
// functions (vouch/store/sqlite_store.h).
Status SqliteMentionStore::ForEach(const MentionQuery& query, const std::function<bool(const MentionRow&)>& fn) {
  // One statement shape per (brand filter, text) choice; times are always bound (open ends as the int64 limits),
  // so the statement cache holds at most four texts.
  const std::string sql = fmt::format(
      "SELECT m.id, m.post_id, p.platform, p.external_id, p.time, i.person_id, i.display, m.brand, m.term, "
      "m.span_begin, m.span_end, m.act, m.act_confidence, m.sentiment, m.sentiment_score, "
      "vouch_post_reply_to(p.id, p.body_offset, p.body_length){} "
      "FROM mentions m JOIN posts p ON p.id = m.post_id JOIN identities i ON i.id = p.author_identity "
      "WHERE p.time >= ? AND p.time < ?{} ORDER BY p.time, m.id",
      query.with_text ? ", vouch_post_text(p.id, p.body_offset, p.body_length)" : "",
      query.brands.empty() ? "" : " AND m.brand = ?");
  std::vector<std::string> brands = query.brands;
  if (brands.empty()) brands.emplace_back();  // one pass, no brand bound
  MentionRow r;
  for (const std::string& brand : brands) {
    VOUCH_ASSIGN_OR_RETURN(Statement * q, db_.Prepare(sql));
    q->Bind(1, query.since.value_or(std::numeric_limits<int64_t>::min())).Bind(2, query.until.value_or(std::numeric_limits<int64_t>::max()));
    if (!query.brands.empty()) q->Bind(3, brand);
    bool stopped = false;
    VOUCH_TRY(store::ForEachRow(*q, [&](const Statement& row) -> Result<bool> {
      std::tie(r.id, r.post_row, r.platform, r.post_id, r.time, r.author, r.author_handle, r.brand, r.term, r.begin,
               r.end) = store::Columns<int64_t, int64_t, std::string, std::string, int64_t, PersonId, std::string,
                                       std::string, std::string, uint32_t, uint32_t>(row);
      const std::string act = row.Text(11);
      const std::string sentiment = row.Text(13);
      auto parsed_act = ParseAct(act);
      auto parsed_sentiment = ParseSentiment(sentiment);
      if (!parsed_act || !parsed_sentiment) {
        return Status::Corruption(
            fmt::format("mentions row {}: act '{}' / sentiment '{}' is not one Vouch writes", r.id, act, sentiment));
      }
      r.act = *parsed_act;
      r.act_confidence = store::Column<float>(row, 12);
      r.sentiment = *parsed_sentiment;
      r.sentiment_score = store::Column<float>(row, 14);
      r.reply_to = store::Column<std::optional<std::string>>(row, 15);
      if (query.with_text) r.text = row.Text(16);
      stopped = !fn(r);
      return !stopped;
    }));
    if (stopped) break;
  }
  return Status::Ok();
}

Result<std::vector<std::string>> SqliteMentionStore::RepliedToBy(const std::vector<std::string>& handles) {
  std::vector<std::string> out;
  for (const std::string& handle : handles) {
    VOUCH_ASSIGN_OR_RETURN(
        Statement * q,
        db_.Prepare("SELECT p.platform, vouch_post_reply_to(p.id, p.body_offset, p.body_length) AS reply "
                    "FROM identities i JOIN posts p ON p.author_identity = i.id "
                    "WHERE i.kind = 'handle' AND i.value = ? AND reply IS NOT NULL"));
    q->Bind(1, handle);
    VOUCH_TRY(store::ForEachRow(
        *q, [&](const Statement& row) { out.push_back(fmt::format("{}:{}", row.Text(0), row.Text(1))); }));
  }
  return out;
}

Result<std::vector<MentionRow>> ReadMentions(MentionStore& store, const MentionQuery& query) {
  std::vector<MentionRow> rows;
  VOUCH_TRY(store.ForEach(query, [&](const MentionRow& r) {
    rows.push_back(r);
    return true;
  }));
  // Several brands come back brand by brand: one time order for all.
  if (query.brands.size() > 1) {
    std::stable_sort(rows.begin(), rows.end(), [](const MentionRow& a, const MentionRow& b) {
      return a.time != b.time ? a.time < b.time : a.id < b.id;
    });
  }
  return rows;
}

}  // namespace vouch::listen
