#include "refer/http_wire.h"

#include <fmt/format.h>

#include <iterator>

namespace vouch::refer {

void SerializeResponse(const ApiResponse& r, unsigned version, bool keep_alive, bool head, std::string& out) {
  namespace http = boost::beast::http;
  boost::beast::string_view reason = http::obsolete_reason(http::int_to_status(static_cast<unsigned>(r.status)));
  out.clear();
  out.reserve(160 + r.location.size() + 100 * r.set_cookies.size() + (head ? 0 : r.body.size()));
  fmt::format_to(std::back_inserter(out), "HTTP/{}.{} {} ", version / 10, version % 10, r.status);
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
  fmt::format_to(std::back_inserter(out), "Content-Length: {}\r\n", head ? 0 : r.body.size());
  if (version >= 11 && !keep_alive) out += "Connection: close\r\n";
  if (version < 11 && keep_alive) out += "Connection: keep-alive\r\n";
  out += "\r\n";
  if (!head) out += r.body;
}

}  // namespace vouch::refer
