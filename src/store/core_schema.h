// The "core" schema component: people, identities, merges, posts, mentions, ratings, orders.
// Append a step to change it; never edit a step that has shipped.
#pragma once

#include <vector>

#include "store/post_body_file.h"
#include "vouch/store/sqlite_db.h"

namespace vouch::store {

// The posts table from step 2 on: no body columns, no secondary index.
inline constexpr const char* kPostsStep2Sql = R"sql(
CREATE TABLE posts (
  id              INTEGER PRIMARY KEY,
  platform        TEXT NOT NULL,
  external_id     TEXT NOT NULL,
  author_identity INTEGER NOT NULL REFERENCES identities(id),
  time            INTEGER NOT NULL,
  body_offset     INTEGER NOT NULL,           -- where the post's record lies in the body file (bytes)
  body_length     INTEGER NOT NULL,
  UNIQUE (platform, external_id)
);
)sql";

// Step 2: every post's body columns, as step 1 stored them, into bodies (from its start, in row order), and the
// posts table rebuilt as kPostsStep2Sql with each row pointing to its record (mentions keep their post rows).
// Defined with the store (src/store/sqlite_store.cc).
Status MovePostBodiesToFile(SqliteDb& db, PostBodyFile& bodies);

// Step 1 alone: the schema as it was before the posts' bodies moved out of the table (the storage floor,
// bench/ingest/posts_floor.cc, prices designs against it; tests migrate from it).
inline const Migration& CoreStep1() {
  static const Migration step = {1, R"sql(
CREATE TABLE people (
  id           INTEGER PRIMARY KEY,
  display_name TEXT NOT NULL DEFAULT ''
);
CREATE TABLE identities (
  id        INTEGER PRIMARY KEY,
  kind      TEXT NOT NULL CHECK (kind IN ('handle', 'email', 'customer')),
  scope     TEXT NOT NULL DEFAULT '',
  value     TEXT NOT NULL,
  display   TEXT NOT NULL DEFAULT '',
  person_id INTEGER NOT NULL REFERENCES people(id),
  UNIQUE (kind, scope, value)
);
CREATE INDEX identities_person ON identities(person_id);
CREATE TABLE merges (
  id               INTEGER PRIMARY KEY,
  at               INTEGER NOT NULL,
  kept_person      INTEGER NOT NULL REFERENCES people(id),
  absorbed_person  INTEGER NOT NULL REFERENCES people(id),
  reason           TEXT NOT NULL,
  automatic        INTEGER NOT NULL,
  moved_identities TEXT NOT NULL,           -- JSON array of identity ids
  undone_at        INTEGER
);
CREATE TABLE posts (
  id              INTEGER PRIMARY KEY,
  platform        TEXT NOT NULL,
  external_id     TEXT NOT NULL,
  author_identity INTEGER NOT NULL REFERENCES identities(id),
  author_name     TEXT NOT NULL DEFAULT '',
  time            INTEGER NOT NULL,
  text            TEXT NOT NULL,
  reply_to        TEXT,
  reshare_of      TEXT,
  quote_of        TEXT,
  lang            TEXT NOT NULL DEFAULT '',
  mentions        TEXT NOT NULL DEFAULT '[]',  -- JSON arrays
  hashtags        TEXT NOT NULL DEFAULT '[]',
  urls            TEXT NOT NULL DEFAULT '[]',
  likes           INTEGER,
  reshares        INTEGER,
  replies         INTEGER,
  quotes          INTEGER,
  UNIQUE (platform, external_id)
);
CREATE INDEX posts_author ON posts(author_identity);
CREATE INDEX posts_time ON posts(time);
CREATE TABLE mentions (
  id             INTEGER PRIMARY KEY,
  post_id        INTEGER NOT NULL REFERENCES posts(id),
  brand          TEXT NOT NULL,
  term           TEXT NOT NULL,
  span_begin     INTEGER NOT NULL,           -- byte offsets into posts.text
  span_end       INTEGER NOT NULL,
  act            TEXT NOT NULL,
  act_confidence REAL NOT NULL,
  sentiment      TEXT NOT NULL,
  sentiment_score REAL NOT NULL,
  UNIQUE (post_id, brand, span_begin)
);
CREATE INDEX mentions_brand ON mentions(brand);
CREATE TABLE ratings (
  rater_identity INTEGER NOT NULL REFERENCES identities(id),
  ratee_identity INTEGER NOT NULL REFERENCES identities(id),
  time           INTEGER NOT NULL,
  raw            REAL NOT NULL,
  value          REAL NOT NULL CHECK (value BETWEEN -1 AND 1),
  PRIMARY KEY (rater_identity, ratee_identity, time)
) WITHOUT ROWID;
CREATE TABLE orders (
  id                INTEGER PRIMARY KEY,
  order_id          TEXT NOT NULL UNIQUE,
  customer_identity INTEGER NOT NULL REFERENCES identities(id),
  amount_minor      INTEGER NOT NULL,
  currency          TEXT NOT NULL,
  time              INTEGER NOT NULL,
  referral_code     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX orders_customer ON orders(customer_identity);
)sql"};
  return step;
}

// Every step. bodies is the posts' body file of the database being migrated (step 2 fills it); it must outlive
// the returned steps.
inline std::vector<Migration> CoreMigrations(PostBodyFile& bodies) {
  return {
      CoreStep1(),
      // The posts' bodies move to the side file (store/post_body_file.h); the row keeps what SQL filters and
      // joins on (kPostsStep2Sql). No secondary index on posts: a person's posts are a scan of the narrow table
      // (the cost of keeping posts_author and posts_time through a load is priced in docs/benchmarks.md,
      // "## Ingest (posts)"). All of it in C++: the table is rebuilt around the move.
      {2, "", [&bodies](SqliteDb& db) { return MovePostBodiesToFile(db, bodies); }},
  };
}

}  // namespace vouch::store
