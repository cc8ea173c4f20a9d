#include "vouch/refer/click_filter.h"

#include <algorithm>
#include <array>
#include <string>

namespace vouch::refer {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
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
  std::string ua = Lower(user_agent);
  return std::any_of(kBotTokens.begin(), kBotTokens.end(),
                     [&](std::string_view token) { return ua.find(token) != std::string::npos; });
}

bool IsPrefetch(std::string_view purpose_header) {
  std::string p = Lower(purpose_header);
  return p.find("prefetch") != std::string::npos || p.find("preview") != std::string::npos ||
         p.find("prerender") != std::string::npos;
}

}  // namespace vouch::refer
