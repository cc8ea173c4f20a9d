#include "vouch/ingest/json_lines_post_reader.h"

#include "ingest/json_post_parser.h"

namespace vouch::ingest {

namespace sj = simdjson;

JsonLinesPostReader::JsonLinesPostReader(PostReaderOptions options)
    : options_(std::move(options)), parser_(std::make_unique<JsonPostParser>()) {}
JsonLinesPostReader::~JsonLinesPostReader() = default;

namespace {

// "author": "jane" or {"handle": "jane", "name": "Jane Doe"}.
bool ReadAuthor(value v, Post& p, std::string& why) {
  sj::ondemand::json_type type;
  if (auto e = v.type().get(type)) {
    why = JsonError("author", e);
    return false;
  }
  if (type == sj::ondemand::json_type::string) return ReadString(v, "author", p.author, why);
  if (type != sj::ondemand::json_type::object) {
    why = TypeError("author", "a string or an object with a 'handle'");
    return false;
  }
  sj::ondemand::object obj;
  if (auto e = v.get_object().get(obj)) {
    why = JsonError("author", e);
    return false;
  }
  for (auto field : obj) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) {
      why = JsonError("author", e);
      return false;
    }
    if (key == "handle" || key == "username") {
      if (!ReadString(field.value(), "author.handle", p.author, why)) return false;
    } else if (key == "name") {
      if (!ReadOptionalString(field.value(), "author.name", p.author_name, why)) return false;
    }
  }
  if (p.author.empty()) {
    why = MissingField("author.handle");
    return false;
  }
  return true;
}

bool ReadMetrics(value v, PostMetrics& m, std::string& why) {
  bool null = false;
  if (auto e = v.is_null().get(null)) {
    why = JsonError("metrics", e);
    return false;
  }
  if (null) return true;
  sj::ondemand::object obj;
  if (auto e = v.get_object().get(obj)) {
    why = FieldError("metrics", "an object", e);
    return false;
  }
  for (auto field : obj) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) {
      why = JsonError("metrics", e);
      return false;
    }
    std::optional<int64_t>* slot = key == "likes"      ? &m.likes
                                   : key == "reshares" ? &m.reshares
                                   : key == "replies"  ? &m.replies
                                   : key == "quotes"   ? &m.quotes
                                                       : nullptr;
    if (slot == nullptr) continue;
    if (!ReadCount(field.value(),
                   key == "likes"      ? "metrics.likes"
                   : key == "reshares" ? "metrics.reshares"
                   : key == "replies"  ? "metrics.replies"
                                       : "metrics.quotes",
                   *slot, why)) {
      return false;
    }
  }
  return true;
}

}  // namespace

Status JsonLinesPostReader::Read(const Line& line, size_t capacity, ReadBatch& out) {
  sj::ondemand::object obj;
  if (!parser_->Open(line, capacity, out, obj)) return Status::Ok();
  Post& p = out.AddPost(line.number);
  std::string why;
  bool has_id = false, has_author = false, has_time = false, has_text = false;
  ForEachRecordField(obj, why, [&](std::string_view key, value v) {
    bool ok = true;
    // Ordered by how often the fields appear in a record.
    if (key == "id") {
      ok = ReadId(v, "id", p.id, why);
      has_id = true;
    } else if (key == "text") {
      ok = ReadString(v, "text", p.text, why);
      has_text = true;
    } else if (key == "time") {
      ok = ReadTime(v, "time", p.time, why);
      has_time = true;
    } else if (key == "author") {
      ok = ReadAuthor(v, p, why);
      has_author = true;
    } else if (key == "platform") {
      ok = ReadString(v, "platform", p.platform, why);
    } else if (key == "reply_to") {
      ok = ReadOptionalId(v, "reply_to", p.reply_to, why);
    } else if (key == "reshare_of") {
      ok = ReadOptionalId(v, "reshare_of", p.reshare_of, why);
    } else if (key == "quote_of") {
      ok = ReadOptionalId(v, "quote_of", p.quote_of, why);
    } else if (key == "mentions") {
      ok = ReadStrings(v, "mentions", p.mentions, why);
      for (auto& m : p.mentions) m.erase(0, m.size() - StripSigil(m, '@').size());
    } else if (key == "hashtags") {
      ok = ReadStrings(v, "hashtags", p.hashtags, why);
      for (auto& h : p.hashtags) h.erase(0, h.size() - StripSigil(h, '#').size());
    } else if (key == "urls") {
      ok = ReadStrings(v, "urls", p.urls, why);
    } else if (key == "lang") {
      ok = ReadOptionalString(v, "lang", p.lang, why);
    } else if (key == "metrics") {
      ok = ReadMetrics(v, p.metrics, why);
    }
    return ok;
  });
  if (why.empty()) {
    const char* missing = !has_id       ? "id"
                          : !has_author ? "author"
                          : !has_time   ? "time"
                          : !has_text   ? "text"
                                        : nullptr;
    if (missing != nullptr)
      why = MissingField(missing);
    else if (BlankHandle(p.author))
      why = "field 'author' is empty";
  }
  if (!parser_->KeepPost(line, why, out)) return Status::Ok();
  if (p.platform.empty()) p.platform = options_.default_platform;
  return Status::Ok();
}

}  // namespace vouch::ingest
