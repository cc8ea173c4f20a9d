#include "vouch/ingest/csv_records.h"

#include <fmt/format.h>

#include <algorithm>

namespace vouch::ingest {
namespace {

std::string LowerTrimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

Result<std::unique_ptr<CsvRecordReader>> CsvRecordReader::Open(const std::string& path, Options options) {
  VOUCH_ASSIGN_OR_RETURN(auto lines, LineReader::Open(path));
  return std::make_unique<CsvRecordReader>(std::move(lines), options);
}

CsvRecordReader::CsvRecordReader(std::unique_ptr<LineReader> lines, Options options)
    : lines_(std::move(lines)), options_(options) {}

Result<bool> CsvRecordReader::NextLine(PendingLine& line) {
  if (!pending_.empty()) {
    line = std::move(pending_.front());
    pending_.pop_front();
    return true;
  }
  Line raw;
  VOUCH_ASSIGN_OR_RETURN(bool more, lines_->Next(raw));
  if (!more) return false;
  line.number = raw.number;
  line.text.assign(raw.text);
  line.oversized = raw.oversized;
  if (first_line_) {
    first_line_ = false;
    if (line.text.starts_with("\xEF\xBB\xBF")) line.text.erase(0, 3);
  }
  return true;
}

Result<bool> CsvRecordReader::Next(CsvRecord& record) {
  PendingLine first;
  for (;;) {
    VOUCH_ASSIGN_OR_RETURN(bool more, NextLine(first));
    if (!more) return false;
    if (!first.text.empty() || first.oversized) break;
  }
  record.fields.clear();
  record.error.clear();
  record.line = first.number;
  record.raw = first.text;
  if (first.oversized) {
    record.error = fmt::format("line longer than {} bytes", LineReader::kDefaultMaxLineBytes);
    return true;
  }

  // Lines this record took beyond its first, kept so they can be read again if its quote never closes.
  std::vector<PendingLine> taken;
  const char delim = options_.delimiter;
  std::string field;
  std::string_view text = first.text;
  size_t pos = 0;
  bool quoted = false;       // inside a quoted field
  bool field_start = true;   // at the first character of a field
  bool after_quote = false;  // just after a quoted field's closing quote
  for (;;) {
    if (pos == text.size()) {
      if (!quoted) break;
      // A line break inside a quoted field: the record goes on with the next line.
      PendingLine next;
      VOUCH_ASSIGN_OR_RETURN(bool more, NextLine(next));
      bool too_long = more && record.raw.size() + next.text.size() > options_.max_record_bytes;
      if (!more || next.oversized || too_long) {
        if (more) taken.push_back(std::move(next));
        for (auto it = taken.rbegin(); it != taken.rend(); ++it) pending_.push_front(std::move(*it));
        record.raw = first.text;
        record.fields.clear();
        record.error = more ? fmt::format("quoted field not closed within {} bytes", options_.max_record_bytes)
                            : "quoted field not closed before the end of the file";
        return true;
      }
      field.push_back('\n');
      record.raw.push_back('\n');
      record.raw += next.text;
      taken.push_back(std::move(next));
      text = taken.back().text;
      pos = 0;
      continue;
    }
    char c = text[pos++];
    if (quoted) {
      if (c != '"') {
        field.push_back(c);
      } else if (pos < text.size() && text[pos] == '"') {
        field.push_back('"');
        ++pos;
      } else {
        quoted = false;
        after_quote = true;
      }
      continue;
    }
    if (c == delim) {
      record.fields.push_back(std::move(field));
      field.clear();
      field_start = true;
      after_quote = false;
      continue;
    }
    if (field_start && c == '"') {
      quoted = true;
      field_start = false;
      continue;
    }
    if (after_quote && record.error.empty()) {
      record.error = fmt::format("unexpected character after the closing quote of field {}",
                                 record.fields.size() + 1);
    }
    field_start = false;
    field.push_back(c);
  }
  record.fields.push_back(std::move(field));
  if (!IsValidUtf8(record.raw)) record.error = "invalid UTF-8";
  return true;
}

CsvHeader::CsvHeader(const std::vector<std::string>& names) {
  for (const auto& name : names) {
    std::string n = LowerTrimmed(name);
    if (!n.empty() && duplicate_.empty() && std::find(names_.begin(), names_.end(), n) != names_.end()) {
      duplicate_ = n;
    }
    names_.push_back(std::move(n));
  }
}

std::optional<size_t> CsvHeader::Find(std::string_view name) const {
  std::string n = LowerTrimmed(name);
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == n) return i;
  }
  return std::nullopt;
}

Result<CsvHeader> ReadRequiredHeader(const std::string& path, const CsvRecord& first) {
  if (!first.error.empty()) return Status::InvalidArgument(fmt::format("{}:{}: {}", path, first.line, first.error));
  CsvHeader header(first.fields);
  if (!header.duplicate().empty()) {
    return Status::InvalidArgument(
        fmt::format("{}:{}: the header names column '{}' twice", path, first.line, header.duplicate()));
  }
  return header;
}

std::string_view FieldOr(const CsvRecord& record, std::optional<size_t> index) {
  if (!index || *index >= record.fields.size()) return {};
  return record.fields[*index];
}

}  // namespace vouch::ingest
