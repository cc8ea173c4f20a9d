#include "vouch/ingest/mastodon_post_reader.h"

#include "ingest/json_post_parser.h"
#include "vouch/ingest/html_text.h"

namespace vouch::ingest {

namespace sj = simdjson;
namespace od = simdjson::ondemand;

MastodonPostReader::MastodonPostReader(PostReaderOptions options)
    : options_(std::move(options)), parser_(std::make_unique<JsonPostParser>()) {}
MastodonPostReader::~MastodonPostReader() = default;

namespace {

constexpr std::string_view kMastodon = "mastodon";

// The fields of one Status entity this reader uses (a reblog is a nested Status).
struct StatusFields {
  std::string id, content, spoiler, acct, username, display_name, account_url;
  bool has_id = false, has_time = false, has_content = false, has_account = false;
};

// [{"acct": "..."}] or [{"name": "..."}]: the named member of every element.
bool Names(value v, std::string_view field, std::string_view member, std::vector<std::string>& out,
           std::string& why) {
  out.clear();
  return ForEachElement(v, field, why, [&](value element) {
    std::string name;
    if (!ForEachField(element, field, why,
                      [&](std::string_view k, value x) { return k != member || ReadString(x, field, name, why); })) {
      return false;
    }
    if (!name.empty()) out.push_back(std::move(name));
    return true;
  });
}

// The instance host of an account URL: "https://mastodon.social/@jane" -> "mastodon.social".
std::string_view Host(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  url.remove_prefix(scheme + 3);
  size_t end = url.find_first_of("/:?#");
  return url.substr(0, end);
}

class StatusReader {
 public:
  StatusReader(Post& p, std::string& why) : p_(p), why_(why) {}

  // Reads a status's fields into s (and, for the top-level status, into the post).
  bool Read(value v, StatusFields& s, bool top, std::string_view prefix) {
    return ForEachField(v, prefix.empty() ? "status" : prefix, why_,
                        [&](std::string_view key, value x) { return Field(key, x, s, top); });
  }

  StatusFields reblog;
  bool has_reblog = false;
  std::vector<std::string> reblog_mentions, reblog_tags;

  bool Field(std::string_view key, value v, StatusFields& s, bool top) {
    if (key == "id") {
      s.has_id = true;
      return ReadId(v, top ? "id" : "reblog.id", s.id, why_);
    }
    if (key == "content") {
      s.has_content = true;
      return ReadString(v, top ? "content" : "reblog.content", s.content, why_);
    }
    if (key == "spoiler_text") return ReadOptionalString(v, "spoiler_text", s.spoiler, why_);
    if (key == "account") {
      s.has_account = true;
      return ForEachField(v, "account", why_, [&](std::string_view k, value x) {
        if (k == "acct") return ReadString(x, "account.acct", s.acct, why_);
        if (k == "username") return ReadString(x, "account.username", s.username, why_);
        if (k == "display_name") return ReadOptionalString(x, "account.display_name", s.display_name, why_);
        if (k == "url") return ReadOptionalString(x, "account.url", s.account_url, why_);
        return true;
      });
    }
    if (key == "mentions") return Names(v, "mentions", "acct", top ? p_.mentions : reblog_mentions, why_);
    if (key == "tags") return Names(v, "tags", "name", top ? p_.hashtags : reblog_tags, why_);
    if (!top) return true;
    if (key == "created_at") {
      s.has_time = true;
      return ReadTime(v, "created_at", p_.time, why_);
    }
    if (key == "in_reply_to_id") return ReadOptionalId(v, "in_reply_to_id", p_.reply_to, why_);
    if (key == "language") return ReadOptionalString(v, "language", p_.lang, why_);
    if (key == "replies_count") return ReadCount(v, "replies_count", p_.metrics.replies, why_);
    if (key == "reblogs_count") return ReadCount(v, "reblogs_count", p_.metrics.reshares, why_);
    if (key == "favourites_count") return ReadCount(v, "favourites_count", p_.metrics.likes, why_);
    if (key == "reblog") {
      bool null = false;
      if (auto e = v.is_null().get(null)) {
        why_ = JsonError("reblog", e);
        return false;
      }
      if (null) return true;
      has_reblog = true;
      return Read(v, reblog, false, "reblog");
    }
    return true;
  }

 private:
  Post& p_;
  std::string& why_;
};

}  // namespace

Status MastodonPostReader::Read(const Line& line, size_t capacity, ReadBatch& out) {
  od::object obj;
  if (!parser_->Open(line, capacity, out, obj)) return Status::Ok();
  Post& p = out.AddPost(line.number);
  std::string why;
  StatusReader reader(p, why);
  StatusFields s;
  ForEachRecordField(obj, why, [&](std::string_view key, value v) { return reader.Field(key, v, s, true); });
  if (why.empty()) {
    const char* missing = !s.has_id                              ? "id"
                          : !s.has_time                          ? "created_at"
                          : !s.has_content                       ? "content"
                          : !s.has_account                       ? "account"
                          : s.acct.empty() && s.username.empty() ? "account.acct"
                                                                 : nullptr;
    if (missing != nullptr)
      why = MissingField(missing);
    else if (reader.has_reblog && (!reader.reblog.has_id || reader.reblog.id.empty())) {
      why = MissingField("reblog.id");
    }
  }
  if (!parser_->KeepPost(line, why, out)) return Status::Ok();
  SetPlatform(p, kMastodon);
  p.id = std::move(s.id);
  // Handles are user@instance everywhere: a local account's acct lacks the instance, its URL has it.
  p.author = s.acct.empty() ? s.username : s.acct;
  if (p.author.find('@') == std::string::npos) {
    std::string_view host = Host(s.account_url);
    if (!host.empty()) {
      p.author += '@';
      p.author += host;
    }
  }
  p.author_name = std::move(s.display_name);
  if (reader.has_reblog) {
    // A reblog's own content is empty: what it passes on is the reblogged status.
    p.reshare_of = std::move(reader.reblog.id);
    if (s.content.empty()) {
      s.content = std::move(reader.reblog.content);
      s.spoiler = std::move(reader.reblog.spoiler);
      if (p.mentions.empty()) p.mentions = std::move(reader.reblog_mentions);
      if (p.hashtags.empty()) p.hashtags = std::move(reader.reblog_tags);
    }
  }
  p.text = HtmlToText(s.content);
  if (!s.spoiler.empty()) {
    // A content warning is part of what readers see first.
    p.text = s.spoiler + (p.text.empty() ? "" : "\n\n") + p.text;
  }
  return Status::Ok();
}

}  // namespace vouch::ingest
