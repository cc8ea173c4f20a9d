#include "vouch/ingest/people_ingest.h"

#include <gtest/gtest.h>

#include "ingest/records_fixture.h"
#include "vouch/identity/normalize.h"

namespace vouch::ingest {
namespace {

class PeopleIngestTest : public testing::RecordIngestTest<PeopleIngest> {
 protected:
  Status Ingest(const std::string& content) {
    PeopleIngestOptions options;
    options.platform = "x";
    return RunIngest("people.csv", content, std::move(options));
  }
};

TEST_F(PeopleIngestTest, EveryIdentifierOnARowIsOnePersonNamedAsTheRowSays) {
  ASSERT_TRUE(Ingest("customer_id,email,platform,handle,name\n"
                     "C-1,jane@example.com,,@Jane,\"Doe, Jane\"\n"
                     ",bob@example.com,reddit,u/Bob,Bob\n")
                  .ok());
  EXPECT_EQ(job_->summary().stored, 2u);
  PersonId jane = PersonOf(identity::CustomerKey("C-1"));
  EXPECT_EQ(PersonOf(*identity::EmailKey("jane@example.com")), jane);
  EXPECT_EQ(PersonOf(identity::HandleKey("x", "jane")), jane);  // the default platform
  EXPECT_EQ(PersonOf(identity::HandleKey("reddit", "bob")), PersonOf(*identity::EmailKey("bob@example.com")));
  EXPECT_EQ((*store_->GetPerson(jane))->display_name, "Doe, Jane");
  EXPECT_EQ(store_->Counts()->people, 2);
  EXPECT_EQ(job_->record().merges, 3u);
}

TEST_F(PeopleIngestTest, LinksIdentitiesThatOtherFilesCreated) {
  auto early = store_->ResolveIdentity(identity::HandleKey("x", "jane"), "@jane");
  auto later = store_->ResolveIdentity(identity::CustomerKey("C-1"), "C-1");
  ASSERT_TRUE(early.ok() && later.ok());
  ASSERT_TRUE(Ingest("handle,customer_id\njane,C-1\n").ok());
  EXPECT_EQ(PersonOf(identity::CustomerKey("C-1")), early->person);  // the older person is kept
  auto merges = *store_->ListMerges(early->person);
  ASSERT_EQ(merges.size(), 1u);
  EXPECT_NE(merges[0].reason.find("people.csv:2"), std::string::npos);
}

TEST_F(PeopleIngestTest, RowsWithoutAnIdentifierOrWithABadOneAreRejected) {
  ASSERT_TRUE(Ingest("customer_id,email,platform,handle,name\n"
                     ",,,,Nobody\n"
                     "C-2,not-an-address,,,\n"
                     ",,x,@,\n"
                     "C-3,,,,Ok\n")
                  .ok());
  ASSERT_EQ(rejects_.all.size(), 3u);
  EXPECT_EQ(rejects_.all[0].line, 2u);
  EXPECT_NE(rejects_.all[0].reason.find("at least one"), std::string::npos);
  EXPECT_NE(rejects_.all[1].reason.find("email"), std::string::npos);
  EXPECT_NE(rejects_.all[2].reason.find("handle"), std::string::npos);
  EXPECT_EQ(job_->summary().stored, 1u);
}

TEST_F(PeopleIngestTest, IngestingTwiceChangesNothing) {
  const std::string content = "customer_id,email,handle\nC-1,jane@example.com,jane\nC-2,,\n";
  ASSERT_TRUE(Ingest(content).ok());
  auto before = *store_->Counts();
  ASSERT_TRUE(Ingest(content).ok());
  auto after = *store_->Counts();
  EXPECT_EQ(job_->summary().stored, 0u);
  EXPECT_EQ(job_->summary().duplicate, 2u);
  EXPECT_EQ(before.people, after.people);
  EXPECT_EQ(before.identities, after.identities);
  EXPECT_EQ(before.merges, after.merges);
}

TEST_F(PeopleIngestTest, AHeaderNamingAnIdentifierIsRequired) {
  Status s = Ingest("name,platform\nJane,x\n");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("customer_id, email, handle"), std::string::npos);
}

}  // namespace
}  // namespace vouch::ingest
