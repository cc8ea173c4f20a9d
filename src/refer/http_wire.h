// The HTTP/1.1 wire format of the referral service's connections (src/refer/http_server.cc): a request parser
// that keeps only the fields the service reads, and the answer's bytes written by hand. Both exist for the
// redirect's hot path, where Beast's general request container and serializer were a visible share of the CPU.
#pragma once

#include <array>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <string>

#include "vouch/refer/api_router.h"

namespace vouch::refer {

// The response's bytes (status line, headers, body) into out, whose capacity is reused from one answer to the
// next. Written by hand rather than by Beast's serializer (a visible share of the redirect's CPU); every header
// value is the server's own (the Location's destination was checked for control characters when the program was
// created).
void SerializeResponse(const ApiResponse& r, unsigned version, bool keep_alive, bool head, std::string& out);

// Parses one request straight into an ApiRequest, keeping only the fields it carries (Authorization, User-Agent,
// Cookie, the prefetch markers) and dropping the rest. Beast's request_parser builds a container of every field,
// a heap allocation each, for every request: on the redirect's hot path that was the I/O threads' largest share
// of malloc. The ApiRequest is the connection's and is reused, so its strings keep their capacity from one
// request to the next. Of repeated fields the first counts (as `fields[name]` answered before). Header and body
// limits, keep-alive and chunked bodies are basic_parser's. One parser per request (basic_parser cannot be reset).
class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  // request outlives the parser; its fields other than ip are cleared.
  explicit RequestParser(ApiRequest& request) : request_(request) {
    request_.method.clear();
    request_.target.clear();
    request_.authorization.clear();
    request_.body.clear();
    request_.user_agent.clear();
    request_.cookie.clear();
    request_.purpose.clear();
  }

  boost::beast::http::verb method() const { return method_; }
  unsigned version() const { return version_; }

 private:
  // The prefetch markers, the first one sent in this order of preference wins.
  static constexpr std::array<boost::beast::string_view, 4> kPurposeFields = {"Sec-Purpose", "Purpose",
                                                                              "X-Purpose", "X-Moz"};
  enum Seen : unsigned { kAuthorization = 1, kUserAgent = 2, kCookie = 4 };

  void on_request_impl(boost::beast::http::verb method, boost::beast::string_view method_str,
                       boost::beast::string_view target, int version, boost::beast::error_code&) override {
    method_ = method;
    version_ = static_cast<unsigned>(version);
    request_.method.assign(method_str.data(), method_str.size());
    request_.target.assign(target.data(), target.size());
  }

  void on_response_impl(int, boost::beast::string_view, int, boost::beast::error_code&) override {}

  void on_field_impl(boost::beast::http::field name, boost::beast::string_view name_string,
                     boost::beast::string_view value, boost::beast::error_code&) override {
    switch (name) {
      case boost::beast::http::field::authorization: return Keep(kAuthorization, request_.authorization, value);
      case boost::beast::http::field::user_agent: return Keep(kUserAgent, request_.user_agent, value);
      case boost::beast::http::field::cookie: return Keep(kCookie, request_.cookie, value);
      default: break;
    }
    if (value.empty()) return;
    for (size_t i = 0; i < kPurposeFields.size() && i < purpose_rank_; ++i) {
      if (boost::beast::iequals(name_string, kPurposeFields[i])) {
        purpose_rank_ = i;
        request_.purpose.assign(value.data(), value.size());
        return;
      }
    }
  }

  void Keep(Seen field, std::string& to, boost::beast::string_view value) {
    if (seen_ & field) return;
    seen_ |= field;
    to.assign(value.data(), value.size());
  }

  void on_header_impl(boost::beast::error_code&) override {}

  // basic_parser has checked a Content-Length against body_limit before this call.
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, boost::beast::error_code&) override {
    if (length) request_.body.reserve(static_cast<size_t>(*length));
  }

  size_t on_body_impl(boost::beast::string_view body, boost::beast::error_code&) override {
    request_.body.append(body.data(), body.size());
    return body.size();
  }

  void on_chunk_header_impl(std::uint64_t, boost::beast::string_view, boost::beast::error_code&) override {}

  size_t on_chunk_body_impl(std::uint64_t, boost::beast::string_view body, boost::beast::error_code&) override {
    request_.body.append(body.data(), body.size());
    return body.size();
  }

  void on_finish_impl(boost::beast::error_code&) override {}

  ApiRequest& request_;
  boost::beast::http::verb method_ = boost::beast::http::verb::unknown;
  unsigned version_ = 11;
  unsigned seen_ = 0;
  size_t purpose_rank_ = kPurposeFields.size();
};

}  // namespace vouch::refer
