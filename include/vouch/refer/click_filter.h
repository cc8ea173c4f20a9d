// Which requests to GET /r/{code} count as a click: link previewers (Slack, iMessage, Facebook, X, ...), crawlers
// and prefetches are redirected like anyone but not counted, so they earn no click reward and skew no rate.
//
// The user-agent patterns are the documented tokens of the common previewers and crawlers, matched
// case-insensitively as substrings; test cases live in tests/data/refer/user_agents.tsv.
#pragma once

#include <string_view>

namespace vouch::refer {

// True for a crawler, link previewer or HTTP library that is not a person's browser; an empty user agent is a bot.
bool IsBotUserAgent(std::string_view user_agent);

// True when the browser says it is only prefetching or previewing (Purpose / Sec-Purpose / X-Purpose / X-Moz).
bool IsPrefetch(std::string_view purpose_header);

}  // namespace vouch::refer
