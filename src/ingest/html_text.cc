#include "vouch/ingest/html_text.h"

#include <array>
#include <utility>

namespace vouch::ingest {

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

namespace {

// The named entities Mastodon and the HTML people paste into statuses actually use.
constexpr std::array<std::pair<std::string_view, uint32_t>, 16> kEntities = {{
    {"amp", '&'},
    {"lt", '<'},
    {"gt", '>'},
    {"quot", '"'},
    {"apos", '\''},
    {"nbsp", 0xA0},
    {"hellip", 0x2026},
    {"mdash", 0x2014},
    {"ndash", 0x2013},
    {"lsquo", 0x2018},
    {"rsquo", 0x2019},
    {"ldquo", 0x201C},
    {"rdquo", 0x201D},
    {"copy", 0xA9},
    {"reg", 0xAE},
    {"euro", 0x20AC},
}};

char Lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// The tag's name, lower-cased, without '/' (so "</P>" is "p").
std::string TagName(std::string_view tag) {
  size_t i = 0;
  if (i < tag.size() && tag[i] == '/') ++i;
  std::string name;
  while (i < tag.size() && ((tag[i] >= 'a' && tag[i] <= 'z') || (tag[i] >= 'A' && tag[i] <= 'Z') ||
                            (tag[i] >= '0' && tag[i] <= '9'))) {
    name.push_back(Lower(tag[i++]));
  }
  return name;
}

// Decodes the entity at s (just after '&'); returns the bytes consumed (after '&'), 0 when it is not one.
size_t DecodeEntity(std::string_view s, std::string& out) {
  size_t semi = s.find(';');
  if (semi == std::string_view::npos || semi == 0 || semi > 10) return 0;
  std::string_view name = s.substr(0, semi);
  if (name[0] == '#') {
    uint32_t cp = 0;
    bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    for (char c : digits) {
      int d = -1;
      if (c >= '0' && c <= '9')
        d = c - '0';
      else if (hex && c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
      if (d < 0) return 0;
      cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(d);
      if (cp > 0x10FFFF) cp = 0x110000;  // saturate: AppendUtf8 turns it into U+FFFD
    }
    AppendUtf8(out, cp);
    return semi + 1;
  }
  for (const auto& [entity, cp] : kEntities) {
    if (entity == name) {
      AppendUtf8(out, cp);
      return semi + 1;
    }
  }
  return 0;
}

void TrimTrailingSpaces(std::string& out) {
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
}

}  // namespace

std::string HtmlToText(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  bool paragraph_open = false;  // a paragraph ended: the next text starts after a blank line
  for (size_t i = 0; i < html.size();) {
    char c = html[i];
    if (c == '<') {
      size_t end = html.find('>', i + 1);
      // A tag starts with a letter, '/' or '!'; "a < b" is text.
      char next = i + 1 < html.size() ? html[i + 1] : ' ';
      bool tag_start = (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || next == '/' || next == '!';
      if (end == std::string_view::npos || !tag_start) {
        out.push_back(c);
        ++i;
        continue;
      }
      std::string_view tag = html.substr(i + 1, end - i - 1);
      std::string name = TagName(tag);
      if (name == "br") {
        TrimTrailingSpaces(out);
        out.push_back('\n');
      } else if (name == "p" || name == "div" || name == "blockquote" || name == "li") {
        if (tag.front() == '/')
          paragraph_open = true;
        else if (!out.empty())
          paragraph_open = true;
      }
      i = end + 1;
      continue;
    }
    if (paragraph_open) {
      TrimTrailingSpaces(out);
      while (!out.empty() && out.back() == '\n') out.pop_back();
      if (!out.empty()) out += "\n\n";
      paragraph_open = false;
    }
    if (c == '&') {
      size_t used = DecodeEntity(html.substr(i + 1), out);
      if (used > 0) {
        i += used + 1;
        continue;
      }
    }
    out.push_back(c);
    ++i;
  }
  // Trim.
  size_t b = 0;
  while (b < out.size() && (out[b] == ' ' || out[b] == '\n' || out[b] == '\t')) ++b;
  size_t e = out.size();
  while (e > b && (out[e - 1] == ' ' || out[e - 1] == '\n' || out[e - 1] == '\t')) --e;
  return out.substr(b, e - b);
}

}  // namespace vouch::ingest
