#include "vouch/ingest/twitter_v2_post_reader.h"

#include <fmt/format.h>

#include "ingest/json_post_parser.h"

namespace vouch::ingest {

namespace sj = simdjson;
namespace od = simdjson::ondemand;

TwitterV2PostReader::TwitterV2PostReader(PostReaderOptions options)
    : options_(std::move(options)), parser_(std::make_unique<JsonPostParser>()) {}
TwitterV2PostReader::~TwitterV2PostReader() = default;

namespace {

constexpr std::string_view kX = "x";

struct User {
  std::string id, username, name;
};

// One tweet's fields; p.author holds the author_id until the page's users are known.
class TweetFields {
 public:
  explicit TweetFields(Post& p) : p_(p) {}

  // false only when the JSON itself is broken (then the whole line is rejected); a field of the wrong type
  // is remembered in problem() and the tweet rejected alone.
  bool Field(std::string_view key, value v) {
    std::string why;
    bool ok = true;
    if (key == "id") {
      ok = ReadId(v, "id", p_.id, why);
      has_id_ = ok;
    } else if (!problem_.empty()) {
      return true;  // already rejected: only the id is still of interest, for the reason
    } else if (key == "text") {
      ok = ReadString(v, "text", p_.text, why);
      has_text_ = true;
    } else if (key == "author_id") {
      ok = ReadId(v, "author_id", p_.author, why);
      has_author_ = true;
    } else if (key == "created_at") {
      ok = ReadTime(v, "created_at", p_.time, why);
      has_time_ = true;
    } else if (key == "lang") {
      ok = ReadOptionalString(v, "lang", p_.lang, why);
    } else if (key == "referenced_tweets") {
      ok = ForEachElement(v, "referenced_tweets", why, [&](value ref) { return Reference(ref, why); });
    } else if (key == "entities") {
      ok = ForEachField(v, "entities", why, [&](std::string_view k, value e) { return Entities(k, e, why); });
    } else if (key == "public_metrics") {
      ok = ForEachField(v, "public_metrics", why, [&](std::string_view k, value m) { return Metric(k, m, why); });
    } else if (key == "note_tweet") {
      // Long posts: the API cuts "text" and puts the whole of it in note_tweet.text.
      ok = ForEachField(v, "note_tweet", why, [&](std::string_view k, value t) {
        return k != "text" || ReadString(t, "note_tweet.text", p_.text, why);
      });
    }
    if (!ok) {
      if (why.starts_with("invalid JSON")) {
        problem_ = std::move(why);
        return false;
      }
      problem_ = std::move(why);
    }
    return true;
  }

  // The reason to reject this tweet, or empty.
  std::string Finish() {
    if (problem_.empty()) {
      const char* missing = !has_id_       ? "id"
                            : !has_text_   ? "text"
                            : !has_author_ ? "author_id"
                            : !has_time_   ? "created_at"
                                           : nullptr;
      if (missing != nullptr) problem_ = MissingField(missing);
    }
    if (problem_.empty()) return {};
    return has_id_ ? fmt::format("tweet {}: {}", p_.id, problem_) : fmt::format("tweet without id: {}", problem_);
  }
  const std::string& problem() const { return problem_; }

 private:
  bool Reference(value ref, std::string& why) {
    std::string type;
    std::optional<std::string> id;
    bool ok = ForEachField(ref, "referenced_tweets", why, [&](std::string_view k, value x) {
      if (k == "type") return ReadString(x, "referenced_tweets.type", type, why);
      if (k == "id") return ReadOptionalId(x, "referenced_tweets.id", id, why);
      return true;
    });
    if (!ok || !id) return ok;
    if (type == "retweeted")
      p_.reshare_of = std::move(id);
    else if (type == "quoted")
      p_.quote_of = std::move(id);
    else if (type == "replied_to")
      p_.reply_to = std::move(id);
    return true;
  }

  bool Entities(std::string_view kind, value list, std::string& why) {
    std::vector<std::string>* out = kind == "mentions"   ? &p_.mentions
                                    : kind == "hashtags" ? &p_.hashtags
                                    : kind == "urls"     ? &p_.urls
                                                         : nullptr;
    if (out == nullptr) return true;
    // mentions: {"username"}, hashtags: {"tag"}, urls: {"expanded_url", "url"} (the t.co link as fallback).
    std::string_view wanted = kind == "mentions" ? "username" : kind == "hashtags" ? "tag" : "expanded_url";
    return ForEachElement(list, "entities", why, [&](value entity) {
      std::string text, fallback;
      bool ok = ForEachField(entity, "entities", why, [&](std::string_view k, value x) {
        if (k == wanted) return ReadString(x, "entities", text, why);
        if (kind == "urls" && k == "url") return ReadString(x, "entities", fallback, why);
        return true;
      });
      if (!ok) return false;
      if (text.empty()) text = std::move(fallback);
      if (!text.empty()) out->push_back(std::move(text));
      return true;
    });
  }

  bool Metric(std::string_view key, value v, std::string& why) {
    if (key == "like_count") return ReadCount(v, "public_metrics.like_count", p_.metrics.likes, why);
    if (key == "retweet_count") return ReadCount(v, "public_metrics.retweet_count", p_.metrics.reshares, why);
    if (key == "reply_count") return ReadCount(v, "public_metrics.reply_count", p_.metrics.replies, why);
    if (key == "quote_count") return ReadCount(v, "public_metrics.quote_count", p_.metrics.quotes, why);
    return true;
  }

  Post& p_;
  std::string problem_;
  bool has_id_ = false, has_text_ = false, has_author_ = false, has_time_ = false;
};

bool IsTweetField(std::string_view key) {
  return key == "id" || key == "text" || key == "author_id" || key == "created_at" || key == "lang" ||
         key == "referenced_tweets" || key == "entities" || key == "public_metrics" || key == "note_tweet";
}

}  // namespace

Status TwitterV2PostReader::Read(const Line& line, size_t capacity, ReadBatch& out) {
  od::object obj;
  if (!parser_->Open(line, capacity, out, obj)) return Status::Ok();
  const size_t first = out.post_count();
  // Tweets of this line whose reasons are known only at the end (a rejected tweet stays in the batch until then).
  struct Pending {
    size_t index;
    std::string reason;
  };
  std::vector<Pending> rejected;
  std::vector<User> users;
  std::string broken;  // malformed JSON: the whole line is rejected
  bool data_seen = false;
  std::optional<TweetFields> single;  // a line holding one tweet object

  auto tweet = [&](value v) {
    Post& p = out.AddPost(line.number);
    size_t index = out.post_count() - 1;
    TweetFields fields(p);
    bool ok = ForEachField(v, "data", broken, [&](std::string_view k, value x) { return fields.Field(k, x); });
    if (!ok && broken.empty()) broken = fields.problem();
    if (!ok) return false;
    std::string reason = fields.Finish();
    if (!reason.empty()) rejected.push_back({index, std::move(reason)});
    return true;
  };

  ForEachRecordField(obj, broken, [&](std::string_view key, value v) {
    if (key == "data") {
      if (single) {
        broken = "a line holds either an API response ('data') or one tweet, not both";
        return false;
      }
      data_seen = true;
      od::json_type type;
      if (auto e = v.type().get(type)) {
        broken = JsonError("data", e);
        return false;
      }
      bool ok = type == od::json_type::object ? tweet(v) : ForEachElement(v, "data", broken, tweet);
      if (!ok) return false;
    } else if (key == "includes") {
      bool ok = ForEachField(v, "includes", broken, [&](std::string_view k, value list) {
        if (k != "users") return true;
        return ForEachElement(list, "includes.users", broken, [&](value u) {
          User user;
          bool fine = ForEachField(u, "includes.users", broken, [&](std::string_view uk, value x) {
            std::string ignored;
            // A user entry of the wrong shape is skipped: the tweet falls back to its author_id.
            if (uk == "id")
              (void)ReadId(x, "id", user.id, ignored);
            else if (uk == "username")
              (void)ReadString(x, "username", user.username, ignored);
            else if (uk == "name")
              (void)ReadOptionalString(x, "name", user.name, ignored);
            return true;
          });
          if (fine && !user.id.empty() && !user.username.empty()) users.push_back(std::move(user));
          return fine;
        });
      });
      if (!ok) {
        if (!broken.starts_with("invalid JSON")) broken = "invalid JSON: " + broken;
        return false;
      }
    } else if (!data_seen && IsTweetField(key)) {
      if (!single) {
        single.emplace(out.AddPost(line.number));
      }
      if (!single->Field(key, v)) {
        broken = single->problem();
        return false;
      }
    }
    return true;
  });
  if (broken.empty()) parser_->Close(broken);
  if (!broken.empty()) {
    out.DropPostsFrom(first);
    out.AddReject(line.number, std::move(broken), line.text);
    return Status::Ok();
  }
  if (single) {
    std::string reason = single->Finish();
    if (!reason.empty()) rejected.push_back({out.post_count() - 1, std::move(reason)});
  }
  if (!data_seen && !single) {
    out.AddReject(line.number, "neither an API response ('data') nor a tweet ('id', 'text', ...)", line.text);
    return Status::Ok();
  }
  // Authors: usernames from includes.users. Then the rejected tweets leave the batch (from the back, so the
  // indexes stay valid), the rest stay in order.
  for (size_t i = first; i < out.post_count(); ++i) {
    Post& p = out.post(i);
    SetPlatform(p, kX);
    for (const User& u : users) {
      if (u.id == p.author) {
        p.author = u.username;
        p.author_name = u.name;
        break;
      }
    }
  }
  if (!rejected.empty()) {
    // Compact: keep the good posts' order.
    size_t write = first;
    size_t r = 0;
    for (size_t i = first; i < out.post_count(); ++i) {
      if (r < rejected.size() && rejected[r].index == i) {
        ++r;
        continue;
      }
      if (write != i) std::swap(out.post(write), out.post(i));
      ++write;
    }
    out.DropPostsFrom(write);
    for (auto& rej : rejected) out.AddReject(line.number, std::move(rej.reason), line.text);
  }
  return Status::Ok();
}

}  // namespace vouch::ingest
