#include "vouch/ingest/reddit_post_reader.h"

#include "ingest/json_post_parser.h"

namespace vouch::ingest {

namespace sj = simdjson;

RedditPostReader::RedditPostReader(PostReaderOptions options)
    : options_(std::move(options)), parser_(std::make_unique<JsonPostParser>()) {}
RedditPostReader::~RedditPostReader() = default;

namespace {

constexpr std::string_view kReddit = "reddit";

// "t1_abc" -> "abc": Vouch keys Reddit posts by their bare id (FORMATS_CONTRACT).
std::string_view WithoutKindPrefix(std::string_view id) {
  if (id.size() > 3 && id[0] == 't' && id[1] >= '1' && id[1] <= '9' && id[2] == '_') id.remove_prefix(3);
  return id;
}

bool IsRemoved(std::string_view s) {
  return s == "[deleted]" || s == "[removed]";
}

}  // namespace

Status RedditPostReader::Read(const Line& line, size_t capacity, ReadBatch& out) {
  sj::ondemand::object obj;
  if (!parser_->Open(line, capacity, out, obj)) return Status::Ok();
  Post& p = out.AddPost(line.number);
  std::string why, title, selftext, body, url;
  bool has_id = false, has_author = false, has_time = false, has_title = false, has_body = false;
  bool is_self = false;
  ForEachRecordField(obj, why, [&](std::string_view key, value v) {
    bool ok = true;
    if (key == "id") {
      ok = ReadId(v, "id", p.id, why);
      has_id = true;
    } else if (key == "author") {
      ok = ReadString(v, "author", p.author, why);
      has_author = true;
    } else if (key == "created_utc") {
      ok = ReadTime(v, "created_utc", p.time, why);
      has_time = true;
    } else if (key == "body") {
      ok = ReadString(v, "body", body, why);
      has_body = true;
    } else if (key == "title") {
      ok = ReadString(v, "title", title, why);
      has_title = true;
    } else if (key == "selftext") {
      ok = ReadOptionalString(v, "selftext", selftext, why);
    } else if (key == "parent_id") {
      ok = ReadOptionalId(v, "parent_id", p.reply_to, why);
    } else if (key == "url") {
      ok = ReadOptionalString(v, "url", url, why);
    } else if (key == "is_self") {
      bool b = false;
      if (v.get_bool().get(b) == sj::SUCCESS) is_self = b;
    } else if (key == "score") {
      ok = ReadCount(v, "score", p.metrics.likes, why);
    } else if (key == "num_comments") {
      ok = ReadCount(v, "num_comments", p.metrics.replies, why);
    } else if (key == "author_fullname") {
      // not needed: the handle is the author name
    }
    return ok;
  });
  if (why.empty()) {
    const char* missing = !has_id ? "id" : !has_author ? "author" : !has_time ? "created_utc" : nullptr;
    if (missing != nullptr)
      why = MissingField(missing);
    else if (!has_title && !has_body)
      why = "neither a submission ('title') nor a comment ('body')";
    else if (BlankHandle(p.author))
      why = "field 'author' is empty";
    else if (IsRemoved(p.author))
      why = "author is " + p.author + " (the account is gone)";
  }
  if (!parser_->KeepPost(line, why, out)) return Status::Ok();
  SetPlatform(p, kReddit);
  p.id.erase(0, p.id.size() - WithoutKindPrefix(p.id).size());
  if (p.reply_to) p.reply_to->erase(0, p.reply_to->size() - WithoutKindPrefix(*p.reply_to).size());
  if (has_body) {
    p.text = std::move(body);
  } else {
    // Submissions: "title\n\nselftext"; a link post has no selftext, a removed one a placeholder.
    p.text = std::move(title);
    if (!selftext.empty() && !IsRemoved(selftext)) {
      p.text += "\n\n";
      p.text += selftext;
    }
    // A link post's url is the link it shares; a self post's url is its own page.
    if (!url.empty() && !is_self && url.find("reddit.com/r/") == std::string::npos && !url.starts_with("/r/")) {
      p.urls.push_back(std::move(url));
    }
  }
  return Status::Ok();
}

}  // namespace vouch::ingest
