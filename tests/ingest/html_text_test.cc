#include "vouch/ingest/html_text.h"

#include <gtest/gtest.h>

namespace vouch::ingest {
// Named rather than anonymous: the unity build of the tests puts this file beside others with helpers of the same name.
namespace html_text_test {

struct Case {
  const char* html;
  const char* text;
};

const Case kCases[] = {
    {"<p>Hello world</p>", "Hello world"},
    {"<p>One</p><p>Two</p>", "One\n\nTwo"},
    {"<p>line one<br>line two<br />line three</p>", "line one\nline two\nline three"},
    {"<p>fish &amp; chips &lt;3 &quot;yes&quot; I&#39;m &#x1F600;</p>",
     "fish & chips <3 \"yes\" I'm \xF0\x9F\x98\x80"},
    {"<p><span class=\"h-card\"><a href=\"https://a.example/@jo\" class=\"u-url mention\">@<span>jo</span></a>"
     "</span> hi</p>",
     "@jo hi"},
    {"<p><a href=\"https://x.example/long/path\"><span class=\"invisible\">https://</span><span "
     "class=\"ellipsis\">"
     "x.example/lo</span><span class=\"invisible\">ng/path</span></a></p>",
     "https://x.example/long/path"},
    {"no tags at all", "no tags at all"},
    {"a < b and c > d", "a < b and c > d"},
    {"&unknown; &amp", "&unknown; &amp"},
    {"&#0; &#xD800; &#99999999;", "\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD"},
    {"", ""},
};

TEST(HtmlTextTest, Cases) {
  for (const auto& c : kCases) EXPECT_EQ(HtmlToText(c.html), c.text) << c.html;
}

}  // namespace html_text_test
}  // namespace vouch::ingest
