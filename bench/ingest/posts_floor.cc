// bench_posts_floor VARIANT FILE DB: the storage floor of a posts load. Reads FILE with the ingest's LineReader
// and generic JSON Lines PostReader, then stores the posts into a fresh SQLite database DB created by step 1 of
// the core schema (the wide posts row with posts_author and posts_time) and the store's connection settings (WAL,
// synchronous=NORMAL, a 64 MiB page cache), with none of the ingest's other work: authors are numbered in a hash
// map (no identities, people or foreign keys), no observer, no per-row stored/duplicate bookkeeping. Every
// variant writes the same posts with a 32-row INSERT and 10,000 posts a transaction as Store::InsertPosts did
// under step 1, and (unless its name says otherwise) ends with the posts_author and posts_time indexes rebuilt as
// step 1's end of a load did. slim-row-no-rebuild is the layout the product adopted in step 2 (its floor). The
// first six differ in how (platform, external_id) stays unique:
//
//   current           the schema as it is: UNIQUE (platform, external_id) maintained during the load
//                     (INSERT ... ON CONFLICT DO NOTHING), the two secondary indexes suspended
//   unique-suspended  the table without the unique key during the load; at its end the duplicates are deleted
//                     with one sort-based statement (ROW_NUMBER over the key) and CREATE UNIQUE INDEX builds it
//   hash-key          a 64-bit hash of platform and id as an INTEGER column with a unique index (ON CONFLICT on
//                     it); collisions are not verified here, so this is a lower bound for that design
//   separate-file     as current, with the posts table in a second database file ATTACHed beside the first
//   all-indexes       as current, with the secondary indexes maintained during the load (no suspension)
//   journal-off       as current, with journal_mode=OFF (no WAL, no crash safety): what the journal costs
//
// and, to price a slimmer storage design (the unique key as current in all of them):
//
//   no-rebuild        as current, without the end-of-load rebuild of posts_author and posts_time: what the two
//                     secondary indexes cost
//   author-only       as current, rebuilding posts_author only (no posts_time)
//   blob-body         the row keeps what joins and filters need (id, platform, external_id, author_identity, time)
//                     and one BLOB `body` column with the rest (author_name, text, reply_to, reshare_of, quote_of,
//                     lang, mentions, hashtags, urls, metrics) in a compact length-prefixed encoding
//   slim-row          the same narrow row, with `body_offset` and `body_length` into an append-only side file
//                     (DB.body) instead of the BLOB: the body is buffered and written sequentially in 1 MiB
//                     writes, and written out and fdatasync'ed before each COMMIT (so a committed row never
//                     points past the file's durable end; a killed load leaves at most an unreferenced tail)
//   blob-body-no-rebuild, slim-row-no-rebuild, slim-row-author-only: those with the end as named
//   slim-row-counts   slim-row with no secondary index at all; instead each transaction adds its authors' post
//                     counts (summed in memory over the transaction) to identity_posts (identity INTEGER PRIMARY
//                     KEY, posts INTEGER) with one upsert per author: what a person's post count (CountActivity,
//                     the people export) would cost without posts_author
//   slim-row-counts-replies  slim-row-counts with reply_to also kept in the row and, at the end, a partial index
//                     posts(author_identity) WHERE reply_to IS NOT NULL (RepliedToBy's only need for posts_author)
//
// Prints the CPU seconds (user + sys, getrusage) of the load and of its end, and posts per CPU second. The read
// alone is bench_post_reader: the floor of storage is this total minus that.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/core_schema.h"
#include "store/post_body_file.h"
#include "vouch/ingest/line_reader.h"
#include "vouch/ingest/post_reader.h"
#include "vouch/store/sqlite_db.h"

namespace {

using vouch::Post;

double CpuSeconds() {
  rusage r{};
  getrusage(RUSAGE_SELF, &r);
  return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
         static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

bool Exec(vouch::store::SqliteDb& db, const std::string& sql) {
  vouch::Status s = db.Exec(sql);
  if (!s.ok()) std::fprintf(stderr, "%s: %s\n", sql.c_str(), s.message().c_str());
  return s.ok();
}

// ["a","b"] for plain items (the floor needs the same bytes, not the escaping).
void JsonArray(std::string& out, const std::vector<std::string>& items) {
  out.clear();
  out.push_back('[');
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    out += items[i];
    out += '"';
  }
  out += ']';
}

// Writes all of `data` to `fd`.
bool WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

constexpr size_t kBodyWrite = 1 << 20;
// The posts' secondary indexes as step 1 of the core schema creates them.
constexpr const char* kPostIndexesSql =
    "CREATE INDEX IF NOT EXISTS posts_author ON posts(author_identity);"
    "CREATE INDEX IF NOT EXISTS posts_time ON posts(time);";
constexpr const char* kDropPostIndexesSql = "DROP INDEX IF EXISTS posts_author; DROP INDEX IF EXISTS posts_time;";
constexpr size_t kRows = 32;
constexpr size_t kPostsPerTransaction = 10000;

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr,
                 "usage: %s current|unique-suspended|hash-key|separate-file|all-indexes|journal-off|no-rebuild|"
                 "author-only|blob-body|blob-body-no-rebuild|slim-row|slim-row-no-rebuild|slim-row-author-only|"
                 "slim-row-counts|slim-row-counts-replies "
                 "FILE DB\n",
                 argv[0]);
    return 2;
  }
  const std::string variant = argv[1];
  const std::string db_path = argv[3];
  const bool hash_key = variant == "hash-key";
  const bool unique_suspended = variant == "unique-suspended";
  const bool separate = variant == "separate-file";
  const bool blob = variant.starts_with("blob-body");
  const bool slim = variant.starts_with("slim-row");
  const bool narrow = blob || slim;
  const bool no_rebuild = variant.ends_with("no-rebuild");
  const bool author_only = variant.ends_with("author-only");
  const bool counts = variant.starts_with("slim-row-counts");
  const bool replies = variant == "slim-row-counts-replies";
  static const char* const kKnown[] = {"current",
                                       "unique-suspended",
                                       "hash-key",
                                       "separate-file",
                                       "all-indexes",
                                       "journal-off",
                                       "no-rebuild",
                                       "author-only",
                                       "blob-body",
                                       "blob-body-no-rebuild",
                                       "slim-row",
                                       "slim-row-no-rebuild",
                                       "slim-row-author-only",
                                       "slim-row-counts",
                                       "slim-row-counts-replies"};
  bool known = false;
  for (const char* k : kKnown) known = known || variant == k;
  if (!known) {
    std::fprintf(stderr, "unknown variant %s\n", variant.c_str());
    return 2;
  }
  auto opened = vouch::store::SqliteDb::Open(db_path, true);
  if (!opened.ok()) return 1;
  vouch::store::SqliteDb& db = **opened;
  // Step 1 of the core schema: the wide posts row every variant here starts from (the product moved to
  // slim-row-no-rebuild's design in step 2).
  if (!db.Migrate("core", {vouch::store::CoreStep1()}).ok()) return 1;
  if (!Exec(db, "PRAGMA foreign_keys=OFF")) return 1;
  if (variant == "journal-off" && !Exec(db, "PRAGMA journal_mode=OFF")) return 1;
  std::string table = "posts";
  if (unique_suspended || hash_key) {
    // The same table without its UNIQUE clause (and, for hash-key, with the key column and its index).
    std::string ddl =
        "CREATE TABLE posts2 (id INTEGER PRIMARY KEY, platform TEXT NOT NULL, external_id TEXT NOT NULL, "
        "author_identity INTEGER NOT NULL REFERENCES identities(id), author_name TEXT NOT NULL DEFAULT '', "
        "time INTEGER NOT NULL, text TEXT NOT NULL, reply_to TEXT, reshare_of TEXT, quote_of TEXT, "
        "lang TEXT NOT NULL DEFAULT '', mentions TEXT NOT NULL DEFAULT '[]', hashtags TEXT NOT NULL DEFAULT '[]', "
        "urls TEXT NOT NULL DEFAULT '[]', likes INTEGER, reshares INTEGER, replies INTEGER, quotes INTEGER";
    ddl += hash_key ? ", key INTEGER NOT NULL)" : ")";
    if (!Exec(db, "DROP TABLE posts") || !Exec(db, ddl) || !Exec(db, "ALTER TABLE posts2 RENAME TO posts"))
      return 1;
    if (hash_key && !Exec(db, "CREATE UNIQUE INDEX posts_key ON posts(key)")) return 1;
  }
  if (narrow) {
    std::string ddl =
        "CREATE TABLE posts2 (id INTEGER PRIMARY KEY, platform TEXT NOT NULL, external_id TEXT NOT NULL, "
        "author_identity INTEGER NOT NULL REFERENCES identities(id), time INTEGER NOT NULL, ";
    ddl += blob ? "body BLOB NOT NULL, " : "body_offset INTEGER NOT NULL, body_length INTEGER NOT NULL, ";
    if (replies) ddl += "reply_to TEXT, ";
    ddl += "UNIQUE (platform, external_id))";
    if (!Exec(db, "DROP TABLE posts") || !Exec(db, ddl) || !Exec(db, "ALTER TABLE posts2 RENAME TO posts") ||
        !Exec(db, kPostIndexesSql)) {
      return 1;
    }
  }
  int body_fd = -1;
  uint64_t body_end = 0;  // bytes of the side file written or buffered so far
  std::string body_buffer;
  if (slim) {
    body_fd = ::open((db_path + ".body").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (body_fd < 0) {
      std::perror("body file");
      return 1;
    }
    body_buffer.reserve(2 * kBodyWrite);
  }
  if (separate) {
    if (!Exec(db, "ATTACH '" + db_path + ".posts' AS p") || !Exec(db, "PRAGMA p.journal_mode=WAL") ||
        !Exec(db, "PRAGMA p.synchronous=NORMAL") || !Exec(db, "PRAGMA p.cache_size=-65536")) {
      return 1;
    }
    std::string ddl =
        "CREATE TABLE p.posts (id INTEGER PRIMARY KEY, platform TEXT NOT NULL, external_id TEXT NOT "
        "NULL, author_identity INTEGER NOT NULL, author_name TEXT NOT NULL DEFAULT '', time INTEGER "
        "NOT NULL, text TEXT NOT NULL, reply_to TEXT, reshare_of TEXT, quote_of TEXT, lang TEXT NOT "
        "NULL DEFAULT '', mentions TEXT NOT NULL DEFAULT '[]', hashtags TEXT NOT NULL DEFAULT '[]', "
        "urls TEXT NOT NULL DEFAULT '[]', likes INTEGER, reshares INTEGER, replies INTEGER, quotes "
        "INTEGER, UNIQUE (platform, external_id))";
    if (!Exec(db, ddl)) return 1;
    table = "p.posts";
  }
  if (variant != "all-indexes" && !Exec(db, kDropPostIndexesSql)) return 1;

  const int params = narrow ? (blob ? 5 : replies ? 7 : 6) : hash_key ? 18 : 17;
  std::string sql = "INSERT INTO " + table;
  if (blob)
    sql += " (platform, external_id, author_identity, time, body) VALUES ";
  else if (replies)
    sql += " (platform, external_id, author_identity, time, body_offset, body_length, reply_to) VALUES ";
  else if (slim)
    sql += " (platform, external_id, author_identity, time, body_offset, body_length) VALUES ";
  else
    sql +=
        " (platform, external_id, author_identity, author_name, time, text, reply_to, reshare_of, quote_of, "
        "lang, mentions, hashtags, urls, likes, reshares, replies, quotes";
  if (!narrow) sql += hash_key ? ", key) VALUES " : ") VALUES ";
  for (size_t r = 0; r < kRows; ++r) {
    sql += r > 0 ? ",(" : "(";
    for (int p = 0; p < params; ++p) sql += p > 0 ? ",?" : "?";
    sql += ')';
  }
  if (hash_key)
    sql += " ON CONFLICT (key) DO NOTHING";
  else if (!unique_suspended)
    sql += " ON CONFLICT (platform, external_id) DO NOTHING";
  sqlite3_stmt* insert = nullptr;
  if (sqlite3_prepare_v3(db.raw(), sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &insert, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "%s\n", sqlite3_errmsg(db.raw()));
    return 1;
  }

  auto lines = vouch::ingest::LineReader::Open(argv[2]);
  auto reader = vouch::ingest::MakePostReader(vouch::ingest::PostFormat::kJsonLines, {});
  if (!lines.ok() || !reader.ok()) return 1;
  std::unordered_map<std::string, int64_t> authors;
  std::vector<const Post*> rows(kRows);
  std::vector<std::string> json(3 * kRows);
  std::vector<std::string> bodies(kRows);
  size_t pending = 0;
  uint64_t posts = 0;
  uint64_t in_transaction = 0;
  const double start = CpuSeconds();
  if (!Exec(db, "BEGIN")) return 1;
  // The side file's bytes reach the disk before the rows that point to them commit.
  auto sync_body = [&]() -> bool {
    if (!slim) return true;
    if (!WriteAll(body_fd, body_buffer) || ::fdatasync(body_fd) != 0) return false;
    body_buffer.clear();
    return true;
  };
  // slim-row-counts: the authors' post counts of the open transaction, added to identity_posts before it commits.
  std::unordered_map<int64_t, int64_t> transaction_counts;
  sqlite3_stmt* add_counts = nullptr;
  if (counts) {
    if (!Exec(db, "CREATE TABLE identity_posts (identity INTEGER PRIMARY KEY, posts INTEGER NOT NULL)") ||
        sqlite3_prepare_v3(db.raw(),
                           "INSERT INTO identity_posts (identity, posts) VALUES (?, ?) ON CONFLICT (identity) DO "
                           "UPDATE SET posts = posts + excluded.posts",
                           -1, SQLITE_PREPARE_PERSISTENT, &add_counts, nullptr) != SQLITE_OK) {
      return 1;
    }
  }
  auto write_counts = [&]() -> bool {
    for (const auto& [identity, n] : transaction_counts) {
      sqlite3_bind_int64(add_counts, 1, identity);
      sqlite3_bind_int64(add_counts, 2, n);
      const int rc = sqlite3_step(add_counts);
      sqlite3_reset(add_counts);
      if (rc != SQLITE_DONE) return false;
    }
    transaction_counts.clear();
    return true;
  };
  auto flush = [&]() -> bool {
    for (size_t r = 0; r < kRows; ++r) {
      const Post& post = *rows[r];
      const int f = static_cast<int>(r) * params;
      auto text = [&](int i, std::string_view v) {
        sqlite3_bind_text64(insert, f + i, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
      };
      auto opt_text = [&](int i, const std::optional<std::string>& v) {
        if (v)
          text(i, *v);
        else
          sqlite3_bind_null(insert, f + i);
      };
      auto opt_int = [&](int i, const std::optional<int64_t>& v) {
        if (v)
          sqlite3_bind_int64(insert, f + i, *v);
        else
          sqlite3_bind_null(insert, f + i);
      };
      auto [it, added] = authors.try_emplace(post.platform + '\x1f' + post.author, 0);
      if (added) it->second = static_cast<int64_t>(authors.size());
      if (counts) ++transaction_counts[it->second];
      if (narrow) {
        text(1, post.platform);
        text(2, post.id);
        sqlite3_bind_int64(insert, f + 3, it->second);
        sqlite3_bind_int64(insert, f + 4, post.time);
        if (blob) {
          std::string& body = bodies[r];
          body.clear();
          vouch::store::EncodePostBody(body, post);  // the store's encoding, without its record header
          sqlite3_bind_blob64(insert, f + 5, body.data(), body.size(), SQLITE_STATIC);
        } else {
          const size_t before = body_buffer.size();
          vouch::store::EncodePostBody(body_buffer, post);
          const size_t length = body_buffer.size() - before;
          sqlite3_bind_int64(insert, f + 5, static_cast<int64_t>(body_end));
          sqlite3_bind_int64(insert, f + 6, static_cast<int64_t>(length));
          if (replies) opt_text(7, post.reply_to);
          body_end += length;
        }
        continue;
      }
      JsonArray(json[3 * r], post.mentions);
      JsonArray(json[3 * r + 1], post.hashtags);
      JsonArray(json[3 * r + 2], post.urls);
      text(1, post.platform);
      text(2, post.id);
      sqlite3_bind_int64(insert, f + 3, it->second);
      text(4, post.author_name);
      sqlite3_bind_int64(insert, f + 5, post.time);
      text(6, post.text);
      opt_text(7, post.reply_to);
      opt_text(8, post.reshare_of);
      opt_text(9, post.quote_of);
      text(10, post.lang);
      text(11, json[3 * r]);
      text(12, json[3 * r + 1]);
      text(13, json[3 * r + 2]);
      opt_int(14, post.metrics.likes);
      opt_int(15, post.metrics.reshares);
      opt_int(16, post.metrics.replies);
      opt_int(17, post.metrics.quotes);
      if (hash_key) {
        std::string key = post.platform + '\x1f' + post.id;
        sqlite3_bind_int64(insert, f + 18, static_cast<int64_t>(std::hash<std::string>{}(key)));
      }
    }
    const int rc = sqlite3_step(insert);
    sqlite3_reset(insert);
    if (rc != SQLITE_DONE) {
      std::fprintf(stderr, "insert: %s\n", sqlite3_errmsg(db.raw()));
      return false;
    }
    posts += kRows;
    in_transaction += kRows;
    if (slim && body_buffer.size() >= kBodyWrite) {
      if (!WriteAll(body_fd, body_buffer)) return false;
      body_buffer.clear();
    }
    if (in_transaction >= kPostsPerTransaction) {
      in_transaction = 0;
      return write_counts() && sync_body() && Exec(db, "COMMIT") && Exec(db, "BEGIN");
    }
    return true;
  };
  vouch::ingest::ReadBatch batch;
  vouch::ingest::Line line;
  for (;;) {
    auto more = (*lines)->Next(line);
    if (!more.ok() || !*more) break;
    if (!(*reader)->Read(line, (*lines)->capacity(), batch).ok()) return 1;
    // Stored from the batch in place once it holds a whole number of groups (one post a line).
    if (batch.post_count() < 1024) continue;
    for (size_t i = 0; i < batch.post_count(); ++i) {
      rows[pending++] = &batch.post(i);
      if (pending == kRows) {
        if (!flush()) return 1;
        pending = 0;
      }
    }
    pending = 0;
    batch.Clear();
  }
  // The last partial batch is left out (fewer than 1,024 posts): the floor's rate counts only the posts it stored.
  if (!write_counts() || !sync_body() || !Exec(db, "COMMIT")) return 1;
  if (add_counts != nullptr) sqlite3_finalize(add_counts);
  sqlite3_finalize(insert);
  if (slim) ::close(body_fd);
  const double loaded = CpuSeconds();
  // The end, as EndPostLoad: on-disk sort spill, a 16 MiB cache.
  if (!Exec(db, "PRAGMA temp_store=FILE") || !Exec(db, "PRAGMA cache_size=-16384")) return 1;
  if (!Exec(db, "BEGIN")) return 1;
  if (unique_suspended) {
    if (!Exec(db,
              "DELETE FROM posts WHERE id IN (SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY "
              "platform, external_id ORDER BY id) AS k FROM posts) WHERE k > 1)") ||
        !Exec(db, "CREATE UNIQUE INDEX posts_key ON posts(platform, external_id)")) {
      return 1;
    }
  }
  if (replies &&
      !Exec(db, "CREATE INDEX posts_author_replies ON posts(author_identity) WHERE reply_to IS NOT NULL"))
    return 1;
  if (variant != "all-indexes" && !no_rebuild && !counts) {
    const std::string prefix = separate ? "p." : "";
    if (!Exec(db, "CREATE INDEX " + prefix + "posts_author ON posts(author_identity)") ||
        (!author_only && !Exec(db, "CREATE INDEX " + prefix + "posts_time ON posts(time)"))) {
      return 1;
    }
  }
  if (!Exec(db, "COMMIT")) return 1;
  const double ended = CpuSeconds();
  std::printf("variant %s posts %llu load_cpu_s %.2f end_cpu_s %.2f total_cpu_s %.2f posts_per_cpu_s %.0f\n",
              variant.c_str(), static_cast<unsigned long long>(posts), loaded - start, ended - loaded,
              ended - start, static_cast<double>(posts) / (ended - start));
  return 0;
}
