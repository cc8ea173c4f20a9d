#include "vouch/ingest/csv_post_reader.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>

#include "vouch/ingest/post_time.h"

namespace vouch::ingest {

namespace {

// Field indexes in GenericPostFields() order.
enum FieldIndex {
  kId,
  kPlatform,
  kAuthor,
  kAuthorName,
  kTime,
  kText,
  kReplyTo,
  kReshareOf,
  kQuoteOf,
  kMentions,
  kHashtags,
  kUrls,
  kLang,
  kLikes,
  kReshares,
  kReplies,
  kQuotes,
  kFieldCount
};

constexpr FieldIndex kRequired[] = {kId, kAuthor, kTime, kText};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "@a, @b c" -> {"a", "b", "c"}.
void SplitList(std::string_view s, char sigil, std::vector<std::string>& out) {
  out.clear();
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == ',' || s[i] == ';')) ++i;
    size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != ',' && s[i] != ';') ++i;
    std::string_view item = s.substr(start, i - start);
    if (sigil != '\0') {
      while (!item.empty() && item.front() == sigil) item.remove_prefix(1);
    }
    if (!item.empty()) out.emplace_back(item);
  }
}

}  // namespace

CsvPostReader::CsvPostReader(PostReaderOptions options) : options_(std::move(options)) {}

Status CsvPostReader::CheckOptions() const {
  const auto& fields = GenericPostFields();
  for (const auto& [field, column] : options_.column_map) {
    if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
      std::string known;
      for (auto f : fields) known += fmt::format("{}{}", known.empty() ? "" : ", ", f);
      return Status::InvalidArgument(
          fmt::format("--map {}={}: '{}' is not a post field (known: {})", field, column, field, known));
    }
    if (column.empty()) return Status::InvalidArgument(fmt::format("--map {}=: the column name is empty", field));
  }
  return Status::Ok();
}

bool CsvPostReader::Split() {
  fields_.clear();
  const char delim = options_.csv_delimiter;
  std::string field;
  size_t i = 0;
  const std::string& r = record_;
  for (;;) {
    field.clear();
    if (i < r.size() && r[i] == '"') {
      ++i;
      for (;;) {
        if (i >= r.size()) return false;  // the quote is still open: the record goes on on the next line
        if (r[i] == '"') {
          if (i + 1 < r.size() && r[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.push_back(r[i++]);
      }
      // Lenient about text between the closing quote and the delimiter (some exporters write it).
      while (i < r.size() && r[i] != delim) field.push_back(r[i++]);
    } else {
      while (i < r.size() && r[i] != delim) field.push_back(r[i++]);
    }
    fields_.push_back(field);
    if (i >= r.size()) return true;
    ++i;  // the delimiter
  }
}

Status CsvPostReader::ReadHeader(ReadBatch& out) {
  (void)out;
  header_ = fields_;
  if (!header_.empty() && header_[0].starts_with("\xEF\xBB\xBF")) header_[0].erase(0, 3);  // a UTF-8 BOM
  for (auto& h : header_) h = std::string(Trim(h));
  const auto& fields = GenericPostFields();
  column_of_.assign(fields.size(), -1);
  for (size_t f = 0; f < fields.size(); ++f) {
    std::string_view column = fields[f];
    for (const auto& [field, mapped] : options_.column_map) {
      if (field == fields[f]) column = mapped;
    }
    for (size_t c = 0; c < header_.size(); ++c) {
      if (header_[c] == column) {
        column_of_[f] = static_cast<int>(c);
        break;
      }
    }
    bool mapped = std::any_of(options_.column_map.begin(), options_.column_map.end(),
                              [&](const auto& m) { return m.first == fields[f]; });
    if (mapped && column_of_[f] < 0) {
      return Status::InvalidArgument(fmt::format("line {}: --map {}={}: the header has no column '{}'",
                                                 record_line_, fields[f], column, column));
    }
  }
  for (FieldIndex f : kRequired) {
    if (column_of_[f] < 0) {
      return Status::InvalidArgument(
          fmt::format("line {}: the header has no column for the post field '{}' (name one with --map {}=COLUMN)",
                      record_line_, fields[f], fields[f]));
    }
  }
  have_header_ = true;
  return Status::Ok();
}

void CsvPostReader::ReadRecord(ReadBatch& out) {
  if (!simdjson::validate_utf8(record_.data(), record_.size())) {
    out.AddReject(record_line_, "invalid UTF-8", record_);
    return;
  }
  const auto& names = GenericPostFields();
  auto cell = [&](FieldIndex f) -> std::string_view {
    int c = column_of_[f];
    if (c < 0 || static_cast<size_t>(c) >= fields_.size()) return {};
    return fields_[static_cast<size_t>(c)];
  };
  if (fields_.size() != header_.size()) {
    out.AddReject(record_line_,
                  fmt::format("the record has {} fields, the header {}", fields_.size(), header_.size()), record_);
    return;
  }
  for (FieldIndex f : kRequired) {
    if (Trim(cell(f)).empty()) {
      out.AddReject(
          record_line_,
          fmt::format("field '{}' (column '{}') is empty", names[f], header_[static_cast<size_t>(column_of_[f])]),
          record_);
      return;
    }
  }
  if (Trim(cell(kAuthor)).find_first_not_of('@') == std::string_view::npos) {
    out.AddReject(
        record_line_,
        fmt::format("field 'author' (column '{}') is empty", header_[static_cast<size_t>(column_of_[kAuthor])]),
        record_);
    return;
  }
  auto time = ParsePostTime(cell(kTime));
  if (!time) {
    out.AddReject(record_line_,
                  fmt::format("field 'time' (column '{}'): '{}' is not a time (RFC 3339, \"2015-02-24 11:35:52 "
                              "-0800\" or epoch seconds)",
                              header_[static_cast<size_t>(column_of_[kTime])], cell(kTime).substr(0, 64)),
                  record_);
    return;
  }
  std::optional<int64_t> counts[4];
  const FieldIndex count_fields[4] = {kLikes, kReshares, kReplies, kQuotes};
  for (int k = 0; k < 4; ++k) {
    std::string_view s = Trim(cell(count_fields[k]));
    if (s.empty()) continue;
    int64_t n = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || ptr != s.data() + s.size()) {
      out.AddReject(record_line_,
                    fmt::format("field '{}' (column '{}') must be an integer, not '{}'", names[count_fields[k]],
                                header_[static_cast<size_t>(column_of_[count_fields[k]])], s.substr(0, 32)),
                    record_);
      return;
    }
    counts[k] = n;
  }
  Post& p = out.AddPost(record_line_);
  p.id = Trim(cell(kId));
  p.platform = Trim(cell(kPlatform));
  if (p.platform.empty()) p.platform = options_.default_platform;
  p.author = Trim(cell(kAuthor));
  p.author_name = Trim(cell(kAuthorName));
  p.time = *time;
  p.text = cell(kText);
  auto optional_id = [&](FieldIndex f, std::optional<std::string>& slot) {
    std::string_view s = Trim(cell(f));
    if (!s.empty()) slot = std::string(s);
  };
  optional_id(kReplyTo, p.reply_to);
  optional_id(kReshareOf, p.reshare_of);
  optional_id(kQuoteOf, p.quote_of);
  SplitList(cell(kMentions), '@', p.mentions);
  SplitList(cell(kHashtags), '#', p.hashtags);
  SplitList(cell(kUrls), '\0', p.urls);
  p.lang = Trim(cell(kLang));
  p.metrics = {counts[0], counts[1], counts[2], counts[3]};
}

Status CsvPostReader::Read(const Line& line, size_t capacity, ReadBatch& out) {
  (void)capacity;
  if (line.oversized) {
    out.AddReject(line.number, "line is longer than the limit for one record (--max-line-bytes)", line.text);
    record_.clear();
    return Status::Ok();
  }
  if (record_.empty()) {
    if (Trim(line.text).empty()) return Status::Ok();  // blank lines between records
    record_line_ = line.number;
    record_.assign(line.text);
  } else {
    record_.push_back('\n');
    record_.append(line.text);
  }
  if (!Split()) {
    if (record_.size() > LineReader::kDefaultMaxLineBytes) {
      out.AddReject(record_line_, "a quoted field never ends (the record grew past the limit)", record_);
      record_.clear();
    }
    return Status::Ok();
  }
  if (!have_header_) {
    Status s = ReadHeader(out);
    record_.clear();
    return s;
  }
  ReadRecord(out);
  record_.clear();
  return Status::Ok();
}

Status CsvPostReader::Finish(ReadBatch& out) {
  if (!record_.empty()) {
    out.AddReject(record_line_, "a quoted field is not closed before the end of the file", record_);
    record_.clear();
  }
  if (!have_header_) return Status::Ok();  // an empty file: nothing to read
  return Status::Ok();
}

}  // namespace vouch::ingest
