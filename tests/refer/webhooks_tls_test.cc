// https:// webhook endpoints over real TLS on loopback, with a CA and server certificates made when the test
// runs: a delivery reaches a server whose certificate chains to the trusted CA and names the host (SNI sent), and
// is refused, with nothing sent, when the certificate names another host, chains to a CA not trusted, or when
// only the system's CA store is trusted. Each refusal case would deliver if verification were skipped.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tls_receiver.h"
#include "vouch/refer/webhook_dispatcher.h"
#include "vouch/refer/webhooks.h"

namespace vouch::refer {
namespace {

class WebhooksTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("vouch_webhooks_tls_{}_{}", ::getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    ca_file_ = Write("ca.pem", ca_.cert_pem);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::filesystem::path path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  static WebhookPost Post(const std::string& url) {
    WebhookPost post;
    post.url = url;
    post.body = R"({"id":1,"type":"sale.created","created_at":0,"data":{}})";
    post.signature = SignWebhook("whsec_test", 1'700'000'000, post.body);
    post.event_id = 1;
    post.event_type = "sale.created";
    return post;
  }

  std::filesystem::path dir_;
  test::TestCertificate ca_ = test::MakeTestCa("vouch test CA");
  std::string ca_file_;
};

TEST_F(WebhooksTlsTest, DeliversToAServerTheTrustedCaVouchesForAndSendsTheHostAsSni) {
  test::TlsReceiver receiver(test::MakeServerCertificate(ca_, "DNS:localhost,IP:127.0.0.1"));
  WebhookAnswer by_name = PostWebhook(Post(fmt::format("https://localhost:{}/hooks", receiver.port())), 5000,
                                      ca_file_);
  EXPECT_EQ(by_name.http_status, 200) << by_name.error;
  WebhookAnswer by_ip = PostWebhook(Post(fmt::format("https://127.0.0.1:{}/hooks", receiver.port())), 5000,
                                    ca_file_);
  EXPECT_EQ(by_ip.http_status, 200) << by_ip.error;
  ASSERT_EQ(receiver.bodies().size(), 2u);
  EXPECT_EQ(receiver.bodies()[0], Post("").body);
  EXPECT_EQ(receiver.server_names()[0], "localhost");
  EXPECT_EQ(receiver.server_names()[1], "");  // no SNI for an IP address (RFC 6066)
}

TEST_F(WebhooksTlsTest, RefusesACertificateForAnotherHost) {
  // Chains to the trusted CA, but names another host: only the host name check stops it.
  test::TlsReceiver receiver(test::MakeServerCertificate(ca_, "DNS:shop.example,IP:192.0.2.1"));
  for (const std::string host : {"localhost", "127.0.0.1"}) {
    WebhookAnswer answer = PostWebhook(Post(fmt::format("https://{}:{}/hooks", host, receiver.port())), 5000,
                                       ca_file_);
    EXPECT_EQ(answer.http_status, 0) << host;
    EXPECT_NE(answer.error.find("mismatch"), std::string::npos) << host << ": " << answer.error;
  }
  EXPECT_TRUE(receiver.bodies().empty());
}

TEST_F(WebhooksTlsTest, RefusesACertificateOfAnUntrustedCa) {
  // Names the host, but is signed by a CA the dispatcher does not trust: only chain verification stops it.
  test::TestCertificate other_ca = test::MakeTestCa("somebody else's CA");
  test::TlsReceiver receiver(test::MakeServerCertificate(other_ca, "DNS:localhost,IP:127.0.0.1"));
  std::string url = fmt::format("https://localhost:{}/hooks", receiver.port());
  WebhookAnswer answer = PostWebhook(Post(url), 5000, ca_file_);
  EXPECT_EQ(answer.http_status, 0);
  EXPECT_NE(answer.error.find("certificate verify failed"), std::string::npos) << answer.error;
  // The default trust is the system's store, which has never heard of either test CA.
  WebhookAnswer system_store = PostWebhook(Post(url), 5000);
  EXPECT_EQ(system_store.http_status, 0);
  EXPECT_NE(system_store.error.find("certificate verify failed"), std::string::npos) << system_store.error;
  // A self-signed server certificate is refused the same way.
  test::TlsReceiver self_signed(test::MakeTestCa("localhost"));
  WebhookAnswer self = PostWebhook(Post(fmt::format("https://127.0.0.1:{}/", self_signed.port())), 5000, ca_file_);
  EXPECT_EQ(self.http_status, 0);
  EXPECT_TRUE(receiver.bodies().empty());
  EXPECT_TRUE(self_signed.bodies().empty());
}

TEST_F(WebhooksTlsTest, AMissingCaFileIsAnErrorNotAnOpenDoor) {
  test::TlsReceiver receiver(test::MakeServerCertificate(ca_, "DNS:localhost"));
  WebhookAnswer answer = PostWebhook(Post(fmt::format("https://localhost:{}/", receiver.port())), 5000,
                                     (dir_ / "absent.pem").string());
  EXPECT_EQ(answer.http_status, 0);
  EXPECT_NE(answer.error.find("absent.pem"), std::string::npos) << answer.error;
  EXPECT_TRUE(receiver.bodies().empty());
}

TEST(WebhookUrlTest, HttpsUrlsAreAccepted) {
  EXPECT_TRUE(ValidateWebhookUrl("https://shop.example/hooks").ok());
  EXPECT_TRUE(ValidateWebhookUrl("https://[2001:db8::1]:8443/hooks").ok());
  EXPECT_FALSE(ValidateWebhookUrl("https://").ok());
  EXPECT_FALSE(ValidateWebhookUrl("https:///hooks").ok());
}

}  // namespace
}  // namespace vouch::refer
