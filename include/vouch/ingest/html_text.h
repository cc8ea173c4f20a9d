// HtmlToText: the plain text of a Mastodon status's HTML content.
//
// Mastodon renders statuses as a small, regular HTML subset: <p> paragraphs, <br> line breaks, <a> links whose
// visible text is split over <span class="invisible"> parts, and character entities. The text a reader sees is
// what Vouch stores: paragraphs become blank-line separated, <br> a newline, other tags vanish (keeping their
// text, so a shortened link reads as its full URL), entities (named, decimal, hex) are decoded. Whitespace at the
// start and end is trimmed. Not a general HTML parser: script/style contents are not special-cased, because
// Mastodon never sends them. Pure, thread safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vouch::ingest {

std::string HtmlToText(std::string_view html);

// Appends the UTF-8 encoding of a code point (invalid ones become U+FFFD).
void AppendUtf8(std::string& out, uint32_t code_point);

}  // namespace vouch::ingest
