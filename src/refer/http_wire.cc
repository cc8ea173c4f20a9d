#include "refer/http_wire.h"

#include <fmt/format.h>

namespace vouch::refer {

void SerializeResponse(const ApiResponse& r, unsigned version, bool keep_alive, bool head, std::string& out) {
  namespace http = boost::beast::http;
  boost::beast::string_view reason = http::obsolete_reason(http::int_to_status(static_cast<unsigned>(r.status)));
  out.clear();
  out.reserve(160 + r.location.size() + 100 * r.set_cookies.size() + (head ? 0 : r.body.size()));
  // Numbers by fmt::format_int (a stack buffer), not format_to into the string: this runs for every answer.
  out += "HTTP/";
  out.push_back(static_cast<char>('0' + version / 10 % 10));
  out.push_back('.');
  out.push_back(static_cast<char>('0' + version % 10));
  out.push_back(' ');
  fmt::format_int status(r.status);
  out.append(status.data(), status.size());
  out.push_back(' ');
  out.append(reason.data(), reason.size());
  out += "\r\nServer: vouch\r\nContent-Type: ";
  out += r.content_type;
  out += "\r\nCache-Control: no-store\r\n";
  if (!r.location.empty()) {
    out += "Location: ";
    out += r.location;
    out += "\r\n";
  }
  for (const std::string& c : r.set_cookies) {
    out += "Set-Cookie: ";
    out += c;
    out += "\r\n";
  }
  // A HEAD answer carries no body and, as before, says so.
  fmt::format_int length(head ? size_t{0} : r.body.size());
  out += "Content-Length: ";
  out.append(length.data(), length.size());
  out += "\r\n";
  if (version >= 11 && !keep_alive) out += "Connection: close\r\n";
  if (version < 11 && keep_alive) out += "Connection: keep-alive\r\n";
  out += "\r\n";
  if (!head) out += r.body;
}

}  // namespace vouch::refer
