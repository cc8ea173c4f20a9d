// Test helpers for https:// webhook endpoints: certificates made with OpenSSL when the test runs (a CA and
// server certificates it signs, P-256 keys, valid for a day; nothing is committed), written as PEM, and a TLS
// receiver on a loopback port that answers 200 to each POST and records the request and the SNI it was sent.
#pragma once

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace vouch::refer::test {

// A key and its certificate, both PEM.
struct TestCertificate {
  std::string cert_pem;
  std::string key_pem;
};

namespace tls_detail {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Cert = std::unique_ptr<X509, decltype(&X509_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

inline void Check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(fmt::format("test certificate: {} failed", what));
}

inline std::string BioText(BIO* bio) {
  char* data = nullptr;
  long size = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data);  // BIO_get_mem_data without its C cast
  return std::string(data, static_cast<size_t>(size));
}

inline Key ReadKey(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  Check(key != nullptr, "reading the issuer key");
  return key;
}

inline Cert ReadCert(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  Cert cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
  Check(cert != nullptr, "reading the issuer certificate");
  return cert;
}

inline void AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str());
  Check(ext != nullptr, "making an extension");
  Check(X509_add_ext(cert, ext, -1) == 1, "adding an extension");
  X509_EXTENSION_free(ext);
}

}  // namespace tls_detail

// A certificate for common_name with extensions (nid, value), signed by issuer (self-signed when null).
inline TestCertificate MakeCertificate(const std::string& common_name,
                                       const std::vector<std::pair<int, std::string>>& extensions,
                                       const TestCertificate* issuer = nullptr) {
  using namespace tls_detail;
  static std::atomic<long> serial{1};
  Key key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), EVP_PKEY_free);
  Check(key != nullptr, "EC key generation");
  Cert cert(X509_new(), X509_free);
  Check(X509_set_version(cert.get(), 2) == 1, "X509_set_version");
  Check(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++) == 1, "serial");
  Check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr, "notBefore");
  Check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400) != nullptr, "notAfter");
  Check(X509_set_pubkey(cert.get(), key.get()) == 1, "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(cert.get());
  Check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0) == 1,
        "subject");
  Cert issuer_cert(nullptr, X509_free);
  Key issuer_key(nullptr, EVP_PKEY_free);
  if (issuer != nullptr) {
    issuer_cert = ReadCert(issuer->cert_pem);
    issuer_key = ReadKey(issuer->key_pem);
  }
  X509* signer = issuer != nullptr ? issuer_cert.get() : cert.get();
  Check(X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) == 1, "issuer");
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, signer, cert.get(), nullptr, nullptr, 0);
  for (const auto& [nid, value] : extensions) AddExtension(cert.get(), &ctx, nid, value);
  Check(X509_sign(cert.get(), issuer != nullptr ? issuer_key.get() : key.get(), EVP_sha256()) > 0, "X509_sign");
  TestCertificate out;
  Bio cert_bio(BIO_new(BIO_s_mem()), BIO_free);
  Check(PEM_write_bio_X509(cert_bio.get(), cert.get()) == 1, "PEM_write_bio_X509");
  out.cert_pem = BioText(cert_bio.get());
  Bio key_bio(BIO_new(BIO_s_mem()), BIO_free);
  Check(PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "PEM_write_bio_PrivateKey");
  out.key_pem = BioText(key_bio.get());
  return out;
}

// A CA that may sign server certificates.
inline TestCertificate MakeTestCa(const std::string& name) {
  return MakeCertificate(name, {{NID_basic_constraints, "critical,CA:TRUE"},
                                {NID_key_usage, "critical,keyCertSign,cRLSign"},
                                {NID_subject_key_identifier, "hash"}});
}

// A server certificate signed by ca for subject_alt_names ("DNS:localhost,IP:127.0.0.1").
inline TestCertificate MakeServerCertificate(const TestCertificate& ca, const std::string& subject_alt_names) {
  return MakeCertificate("vouch test server",
                         {{NID_basic_constraints, "critical,CA:FALSE"},
                          {NID_ext_key_usage, "serverAuth"},
                          {NID_subject_alt_name, subject_alt_names},
                          {NID_authority_key_identifier, "keyid:always"}},
                         &ca);
}

// An HTTPS receiver on 127.0.0.1 presenting certificate: answers 200 to each request it reads and records the
// request bodies and the SNI names sent. Handshakes the client refuses leave nothing recorded.
class TlsReceiver {
 public:
  explicit TlsReceiver(const TestCertificate& certificate) : ssl_(boost::asio::ssl::context::tls_server) {
    namespace net = boost::asio;
    ssl_.use_certificate_chain(net::buffer(certificate.cert_pem));
    ssl_.use_private_key(net::buffer(certificate.key_pem), net::ssl::context::pem);
    acceptor_.open(net::ip::tcp::v4());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind({net::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { Serve(); });
  }
  ~TlsReceiver() {
    namespace net = boost::asio;
    stop_ = true;
    // Wake the blocking accept with one last connection.
    boost::beast::error_code ec;
    net::ip::tcp::socket poke(ioc_);
    poke.connect({net::ip::make_address("127.0.0.1"), port_}, ec);
    thread_.join();
  }
  TlsReceiver(const TlsReceiver&) = delete;
  TlsReceiver& operator=(const TlsReceiver&) = delete;

  uint16_t port() const { return port_; }
  std::vector<std::string> bodies() {
    std::lock_guard<std::mutex> lock(mu_);
    return bodies_;
  }
  std::vector<std::string> server_names() {
    std::lock_guard<std::mutex> lock(mu_);
    return server_names_;
  }

 private:
  void Serve() {
    namespace net = boost::asio;
    namespace http = boost::beast::http;
    for (;;) {
      net::ip::tcp::socket socket(ioc_);
      boost::beast::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stop_) return;
      boost::beast::ssl_stream<net::ip::tcp::socket> stream(std::move(socket), ssl_);
      stream.handshake(net::ssl::stream_base::server, ec);
      if (ec) continue;
      const char* sni = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
      boost::beast::flat_buffer buffer;
      http::request<http::string_body> req;
      http::read(stream, buffer, req, ec);
      if (ec) continue;
      {
        std::lock_guard<std::mutex> lock(mu_);
        bodies_.push_back(req.body());
        server_names_.push_back(sni != nullptr ? sni : "");
      }
      http::response<http::string_body> res{http::status::ok, 11};
      res.body() = "{}";
      res.prepare_payload();
      http::write(stream, res, ec);
      stream.next_layer().shutdown(net::ip::tcp::socket::shutdown_both, ec);
    }
  }

  boost::asio::io_context ioc_;
  boost::asio::ssl::context ssl_;
  boost::asio::ip::tcp::acceptor acceptor_{ioc_};
  uint16_t port_ = 0;
  std::mutex mu_;
  std::vector<std::string> bodies_;
  std::vector<std::string> server_names_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace vouch::refer::test
