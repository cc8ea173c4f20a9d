// Test helpers: read back a world written by vouch synth with small, strict parsers of its declared formats
// (simdjson for JSON Lines, an RFC 4180 reader for CSV, the ingest LineReader for zstd and gzip), so the tests check
// the files as a consumer sees them rather than the generator's internals.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "vouch/ingest/line_reader.h"

namespace vouch::synth::testing {

using Rows = std::vector<std::vector<std::string>>;

// RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. Fails the test on a malformed file.
inline Rows ParseCsv(const std::string& text, const std::string& name) {
  Rows rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, was_quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c == '"') {
      EXPECT_TRUE(field.empty()) << name << ": quote inside an unquoted field";
      quoted = was_quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '\n') {
      row.push_back(std::move(field));
      field.clear();
      was_quoted = false;
      rows.push_back(std::move(row));
      row.clear();
    } else {
      EXPECT_NE(c, '\r') << name;
      field += c;
    }
  }
  EXPECT_FALSE(quoted) << name << ": unterminated quote";
  EXPECT_TRUE(field.empty() && row.empty() && !was_quoted) << name << ": no newline at the end";
  // Every row has the header's number of fields.
  for (size_t r = 1; r < rows.size(); ++r) {
    EXPECT_EQ(rows[r].size(), rows[0].size()) << name << " row " << r + 1;
  }
  return rows;
}

inline std::vector<std::string> ReadLines(const std::filesystem::path& path) {
  std::vector<std::string> lines;
  auto reader = ingest::LineReader::Open(path.string());
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return lines;
  ingest::Line line;
  while (true) {
    auto more = (*reader)->Next(line);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    lines.emplace_back(line.text);
  }
  return lines;
}

inline std::string ReadFile(const std::filesystem::path& path) {
  std::string text;
  for (const auto& line : ReadLines(path)) text += line + "\n";
  return text;
}

// A CSV file as maps from column name to value, after checking its header.
inline std::vector<std::map<std::string, std::string>> ReadCsv(const std::filesystem::path& path,
                                                               const std::vector<std::string>& header) {
  const Rows rows = ParseCsv(ReadFile(path), path.string());
  std::vector<std::map<std::string, std::string>> out;
  EXPECT_FALSE(rows.empty()) << path;
  if (rows.empty()) return out;
  EXPECT_EQ(rows[0], header) << path;
  for (size_t r = 1; r < rows.size(); ++r) {
    std::map<std::string, std::string> m;
    for (size_t c = 0; c < rows[r].size() && c < header.size(); ++c) m[header[c]] = rows[r][c];
    out.push_back(std::move(m));
  }
  return out;
}

// One post as the tests need it, from any of the three formats.
struct Post {
  std::string platform, id, author, text, created;
  std::string reshare_of, reply_to;  // ids on the same platform
  size_t order = 0;                  // position in its file
};

inline std::string Str(simdjson::dom::element e, const char* key) {
  std::string_view v;
  if (e[key].get(v) != simdjson::SUCCESS) {
    ADD_FAILURE() << "missing string field '" << key << "' in " << simdjson::minify(e).substr(0, 300);
    return {};
  }
  return std::string(v);
}

// Reads the three posts files, checking each record's required fields for its format.
inline std::vector<Post> ReadPosts(const std::filesystem::path& dir) {
  std::vector<Post> posts;
  simdjson::dom::parser parser;
  size_t order = 0;
  for (const auto& line : ReadLines(dir / "posts/x.jsonl.zst")) {
    simdjson::dom::element page;
    EXPECT_EQ(parser.parse(line).get(page), simdjson::SUCCESS) << line.substr(0, 200);
    simdjson::dom::array data, users;
    EXPECT_EQ(page["data"].get(data), simdjson::SUCCESS);
    EXPECT_EQ(page["includes"]["users"].get(users), simdjson::SUCCESS);
    std::map<std::string, std::string> usernames;
    for (simdjson::dom::element u : users) usernames[Str(u, "id")] = Str(u, "username");
    int64_t count = 0;
    EXPECT_EQ(page["meta"]["result_count"].get(count), simdjson::SUCCESS);
    EXPECT_EQ(static_cast<size_t>(count), data.size());
    for (simdjson::dom::element t : data) {
      Post p;
      p.platform = "x";
      p.id = Str(t, "id");
      p.text = Str(t, "text");
      p.created = Str(t, "created_at");
      const std::string author_id = Str(t, "author_id");
      EXPECT_TRUE(usernames.count(author_id)) << "author " << author_id << " not in includes.users";
      p.author = usernames[author_id];
      simdjson::dom::array refs;
      if (t["referenced_tweets"].get(refs) == simdjson::SUCCESS) {
        for (simdjson::dom::element r : refs) {
          const std::string type = Str(r, "type");
          (type == "retweeted" ? p.reshare_of : p.reply_to) = Str(r, "id");
          EXPECT_TRUE(type == "retweeted" || type == "replied_to") << type;
        }
      }
      p.order = order++;
      posts.push_back(std::move(p));
    }
  }
  for (const auto& line : ReadLines(dir / "posts/reddit.jsonl.gz")) {
    simdjson::dom::element e;
    EXPECT_EQ(parser.parse(line).get(e), simdjson::SUCCESS) << line.substr(0, 200);
    Post p;
    p.platform = "reddit";
    p.id = Str(e, "id");
    p.author = Str(e, "author");
    int64_t created = 0;
    EXPECT_EQ(e["created_utc"].get(created), simdjson::SUCCESS);
    p.created = std::to_string(created);
    std::string_view parent;
    if (e["parent_id"].get(parent) == simdjson::SUCCESS) {
      EXPECT_EQ(parent.substr(0, 3), "t3_");
      p.reply_to = std::string(parent.substr(3));
      p.text = Str(e, "body");
    } else {
      p.text = Str(e, "title") + "\n\n" + Str(e, "selftext");
      Str(e, "subreddit");
    }
    p.order = order++;
    posts.push_back(std::move(p));
  }
  for (const auto& line : ReadLines(dir / "posts/mastodon.jsonl")) {
    simdjson::dom::element e;
    EXPECT_EQ(parser.parse(line).get(e), simdjson::SUCCESS) << line.substr(0, 200);
    Post p;
    p.platform = "mastodon";
    p.id = Str(e, "id");
    p.created = Str(e, "created_at");
    p.text = Str(e, "content");
    const std::string acct = Str(e["account"], "acct");
    const std::string url = Str(e["account"], "url");
    // handle = acct, with the instance from account.url when acct has none (docs/formats.md).
    p.author = acct.find('@') == std::string::npos ? acct + "@" + url.substr(8, url.find('/', 8) - 8) : acct;
    simdjson::dom::element reblog;
    if (e["reblog"].get(reblog) == simdjson::SUCCESS && !reblog.is_null()) p.reshare_of = Str(reblog, "id");
    std::string_view reply;
    if (e["in_reply_to_id"].get(reply) == simdjson::SUCCESS) p.reply_to = std::string(reply);
    p.order = order++;
    posts.push_back(std::move(p));
  }
  return posts;
}

}  // namespace vouch::synth::testing
