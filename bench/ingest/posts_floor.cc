// bench_posts_floor VARIANT FILE DB: the storage floor of a posts load. Reads FILE with the ingest's LineReader
// and generic JSON Lines PostReader, then stores the posts into a fresh SQLite database DB created by the core
// schema's own migrations and connection settings (WAL, synchronous=NORMAL, a 64 MiB page cache), with none of
// the ingest's other work: authors are numbered in a hash map (no identities, people or foreign keys), no
// observer, no per-row stored/duplicate bookkeeping. Every variant writes the same rows with the same 32-row
// INSERT and 10,000 posts a transaction as Store::InsertPosts, and ends with the posts_author and posts_time
// indexes rebuilt as EndPostLoad does; they differ in how (platform, external_id) stays unique:
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
// Prints the CPU seconds (user + sys, getrusage) of the load and of its end, and posts per CPU second. The read
// alone is bench_post_reader: the floor of storage is this total minus that.
#include <sqlite3.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/core_schema.h"
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

constexpr size_t kRows = 32;
constexpr size_t kPostsPerTransaction = 10000;

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr,
                 "usage: %s current|unique-suspended|hash-key|separate-file|all-indexes|journal-off FILE DB\n",
                 argv[0]);
    return 2;
  }
  const std::string variant = argv[1];
  const std::string db_path = argv[3];
  const bool hash_key = variant == "hash-key";
  const bool unique_suspended = variant == "unique-suspended";
  const bool separate = variant == "separate-file";
  if (!hash_key && !unique_suspended && !separate && variant != "current" && variant != "all-indexes" &&
      variant != "journal-off") {
    std::fprintf(stderr, "unknown variant %s\n", variant.c_str());
    return 2;
  }
  auto opened = vouch::store::SqliteDb::Open(db_path, true);
  if (!opened.ok()) return 1;
  vouch::store::SqliteDb& db = **opened;
  if (!db.Migrate("core", vouch::store::CoreMigrations()).ok()) return 1;
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
  if (variant != "all-indexes" && !Exec(db, vouch::store::kDropPostIndexesSql)) return 1;

  const int params = hash_key ? 18 : 17;
  std::string sql = "INSERT INTO " + table +
                    " (platform, external_id, author_identity, author_name, time, text, reply_to, reshare_of, "
                    "quote_of, lang, mentions, hashtags, urls, likes, reshares, replies, quotes";
  sql += hash_key ? ", key) VALUES " : ") VALUES ";
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
  size_t pending = 0;
  uint64_t posts = 0;
  uint64_t in_transaction = 0;
  const double start = CpuSeconds();
  if (!Exec(db, "BEGIN")) return 1;
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
    if (in_transaction >= kPostsPerTransaction) {
      in_transaction = 0;
      return Exec(db, "COMMIT") && Exec(db, "BEGIN");
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
  if (!Exec(db, "COMMIT")) return 1;
  sqlite3_finalize(insert);
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
  if (variant != "all-indexes") {
    const std::string prefix = separate ? "p." : "";
    if (!Exec(db, "CREATE INDEX " + prefix + "posts_author ON posts(author_identity)") ||
        !Exec(db, "CREATE INDEX " + prefix + "posts_time ON posts(time)")) {
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
