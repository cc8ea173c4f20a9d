#include "vouch/refer/codes.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>

namespace vouch::refer {
namespace {

constexpr std::string_view kBase62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

std::string Hex(const unsigned char* bytes, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xF];
  }
  return out;
}

}  // namespace

namespace {

// Appends length random base62 characters to out.
Status AppendRandom(size_t length, std::string& out) {
  // Bytes are drawn from RAND_bytes 4 KiB at a time into a per-thread buffer, each byte used once: a RAND_bytes
  // call costs a getpid() system call (OpenSSL's fork check) and its DRBG set-up, which per click id was a tenth
  // of the redirect's database thread. (vouch never forks after drawing, so the buffer is never shared.)
  thread_local std::array<unsigned char, 4096> pool{};
  thread_local size_t used = pool.size();
  const size_t target = out.size() + length;
  while (out.size() < target) {
    if (used == pool.size()) {
      if (RAND_bytes(pool.data(), static_cast<int>(pool.size())) != 1) {
        return Status::Internal("the random number generator (OpenSSL RAND_bytes) failed");
      }
      used = 0;
    }
    unsigned char b = pool[used];
    pool[used++] = 0;  // used bytes do not linger
    // 248 = 4 * 62: bytes at or above it would favour the first characters, so they are dropped.
    if (b >= 248) continue;
    out.push_back(kBase62[b % 62]);
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> RandomToken(size_t length) {
  std::string out;
  out.reserve(length);
  VOUCH_TRY(AppendRandom(length, out));
  return out;
}

Result<std::string> TimeOrderedToken(int64_t now_ms) {
  // Built in one string of its final size: one allocation per id (two ids per click on the redirect's hot path).
  constexpr size_t kTimeChars = 7;  // 62^7 ms = 111 years
  std::string out;
  out.reserve(kTimeOrderedTokenLength);
  out.assign(kTimeChars, '0');
  uint64_t t = now_ms < 0 ? 0 : static_cast<uint64_t>(now_ms);
  for (size_t i = kTimeChars; i-- > 0;) {
    out[i] = kBase62[t % 62];
    t /= 62;
  }
  VOUCH_TRY(AppendRandom(kTimeOrderedTokenLength - kTimeChars, out));
  return out;
}

Result<std::string> GenerateLinkCode() { return RandomToken(kLinkCodeLength); }

Status ValidateVanityCode(std::string_view code) {
  if (code.size() < 3 || code.size() > 32) {
    return Status::InvalidArgument("code: a vanity code has 3 to 32 characters");
  }
  for (char c : code) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '-';
    if (!ok) return Status::InvalidArgument("code: a vanity code takes only letters, digits, '_' and '-'");
  }
  return Status::Ok();
}

Result<std::string> GenerateApiKey() {
  VOUCH_ASSIGN_OR_RETURN(std::string body, RandomToken(40));
  return "vk_" + body;
}

std::string Sha256Hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr);
  return Hex(md.data(), len);
}

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), md.data(), &len);
  return Hex(md.data(), len);
}

}  // namespace vouch::refer
