#include "vouch/refer/click_filter.h"

#include <algorithm>
#include <array>
#include <string>

namespace vouch::refer {
namespace {

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// s in lower case: in buffer when it fits (no heap allocation per click on the redirect's hot path: user agents
// are a few hundred bytes at most), else in spill.
std::string_view Lower(std::string_view s, std::array<char, 512>& buffer, std::string& spill) {
  char* out = buffer.data();
  if (s.size() > buffer.size()) {
    spill.resize(s.size());
    out = spill.data();
  }
  std::transform(s.begin(), s.end(), out, LowerAscii);
  return {out, s.size()};
}

// Lowercase substrings. Generic words first (they catch most crawlers), then previewers whose agents lack them.
constexpr std::array<std::string_view, 30> kBotTokens = {
    "bot",          "crawler",      "spider",        "crawl",          "slurp",
    "facebookexternalhit", "facebookcatalog", "embedly", "quora link preview", "whatsapp",
    "telegram",     "skypeuripreview", "vkshare",    "w3c_validator", "redditbot",
    "applebot",     "outbrain",     "pinterest",     "bitlybot",       "tumblr",
    "nuzzel",       "discord",      "mastodon",      "preview",        "headlesschrome",
    "python-requests", "go-http-client", "okhttp",   "ahrefs",         "semrush"};

}  // namespace

bool IsBotUserAgent(std::string_view user_agent) {
  if (user_agent.find_first_not_of(" \t") == std::string_view::npos) return true;
  std::array<char, 512> buffer;
  std::string spill;
  std::string_view ua = Lower(user_agent, buffer, spill);
  return std::any_of(kBotTokens.begin(), kBotTokens.end(),
                     [&](std::string_view token) { return ua.find(token) != std::string_view::npos; });
}

bool IsPrefetch(std::string_view purpose_header) {
  std::array<char, 512> buffer;
  std::string spill;
  std::string_view p = Lower(purpose_header, buffer, spill);
  return p.find("prefetch") != std::string_view::npos || p.find("preview") != std::string_view::npos ||
         p.find("prerender") != std::string_view::npos;
}

}  // namespace vouch::refer
