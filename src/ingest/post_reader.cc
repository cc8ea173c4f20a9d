#include "vouch/ingest/post_reader.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <array>

#include "vouch/ingest/csv_post_reader.h"
#include "vouch/ingest/json_lines_post_reader.h"
#include "vouch/ingest/mastodon_post_reader.h"
#include "vouch/ingest/reddit_post_reader.h"
#include "vouch/ingest/twitter_v2_post_reader.h"

namespace vouch::ingest {

Post& ReadBatch::AddPost(uint64_t line) {
  if (post_count_ == posts_.size()) {
    posts_.emplace_back();
    lines_.push_back(0);
  }
  Post& p = posts_[post_count_];
  lines_[post_count_] = line;
  ++post_count_;
  // Clear field by field: the strings keep their buffers for the next record.
  p.platform.clear();
  p.id.clear();
  p.author.clear();
  p.author_name.clear();
  p.time = 0;
  p.text.clear();
  p.reply_to.reset();
  p.reshare_of.reset();
  p.quote_of.reset();
  p.mentions.clear();
  p.hashtags.clear();
  p.urls.clear();
  p.lang.clear();
  p.metrics = {};
  return p;
}

void ReadBatch::RejectLastPost(std::string reason, std::string_view record) {
  if (post_count_ == 0) return;
  --post_count_;
  AddReject(lines_[post_count_], std::move(reason), record);
}

void ReadBatch::AddReject(uint64_t line, std::string reason, std::string_view record) {
  rejects_.push_back(Reject{line, std::move(reason), std::string(record)});
}

void ReadBatch::Clear() {
  post_count_ = 0;
  rejects_.clear();
}

namespace {

constexpr std::array<std::pair<PostFormat, std::string_view>, 6> kFormatNames = {{
    {PostFormat::kAuto, "auto"},
    {PostFormat::kJsonLines, "jsonl"},
    {PostFormat::kTwitterV2, "twitter-v2"},
    {PostFormat::kReddit, "reddit"},
    {PostFormat::kMastodon, "mastodon"},
    {PostFormat::kCsv, "csv"},
}};

bool EndsWith(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    char c = s[s.size() - suffix.size() + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

}  // namespace

std::string_view PostFormatName(PostFormat format) {
  for (const auto& [f, name] : kFormatNames) {
    if (f == format) return name;
  }
  return "auto";
}

std::optional<PostFormat> ParsePostFormat(std::string_view name) {
  for (const auto& [f, n] : kFormatNames) {
    if (n == name) return f;
  }
  return std::nullopt;
}

PostFormat DetectPostFormat(std::string_view path, std::string_view first_line, size_t capacity) {
  for (std::string_view suffix : {".gz", ".zst", ".zstd"}) {
    if (EndsWith(path, suffix)) {
      path.remove_suffix(suffix.size());
      break;
    }
  }
  if (EndsWith(path, ".csv") || EndsWith(path, ".tsv")) return PostFormat::kCsv;
  namespace od = simdjson::ondemand;
  od::parser parser;
  od::document doc;
  od::object obj;
  if (parser.iterate(simdjson::padded_string_view(first_line.data(), first_line.size(), capacity)).get(doc) ||
      doc.get_object().get(obj)) {
    return PostFormat::kJsonLines;
  }
  bool data = false, includes = false, author_id = false, created_utc = false, subreddit = false, account = false,
       content = false;
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key)) break;
    data |= key == "data";
    includes |= key == "includes";
    author_id |= key == "author_id";
    created_utc |= key == "created_utc";
    subreddit |= key == "subreddit";
    account |= key == "account";
    content |= key == "content";
  }
  if (data || includes || author_id) return PostFormat::kTwitterV2;
  if (created_utc || subreddit) return PostFormat::kReddit;
  if (account && content) return PostFormat::kMastodon;
  return PostFormat::kJsonLines;
}

const std::vector<std::string_view>& GenericPostFields() {
  static const std::vector<std::string_view> fields = {
      "id",       "platform", "author", "author_name", "time",  "text",     "reply_to", "reshare_of", "quote_of",
      "mentions", "hashtags", "urls",   "lang",        "likes", "reshares", "replies",  "quotes"};
  return fields;
}

Result<std::unique_ptr<PostReader>> MakePostReader(PostFormat format, const PostReaderOptions& options) {
  switch (format) {
    case PostFormat::kJsonLines: return std::unique_ptr<PostReader>(new JsonLinesPostReader(options));
    case PostFormat::kTwitterV2: return std::unique_ptr<PostReader>(new TwitterV2PostReader(options));
    case PostFormat::kReddit: return std::unique_ptr<PostReader>(new RedditPostReader(options));
    case PostFormat::kMastodon: return std::unique_ptr<PostReader>(new MastodonPostReader(options));
    case PostFormat::kCsv: {
      auto reader = std::make_unique<CsvPostReader>(options);
      VOUCH_TRY(reader->CheckOptions());
      return std::unique_ptr<PostReader>(std::move(reader));
    }
    case PostFormat::kAuto: break;
  }
  return Status::Internal("MakePostReader needs a concrete format (detect 'auto' first)");
}

}  // namespace vouch::ingest
