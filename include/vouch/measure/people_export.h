// PeopleExport: `vouch export people`: every person of a workspace, one row each, with their identities, acts,
// trust, reputation, reach and referral results, in the shape a CRM imports. The columns are stable and documented
// in docs/formats.md ("People export"); new columns are only ever appended.
//
// Reads the core tables (people, identities, posts, mentions, orders), the trust module's and the referral
// service's tables when they exist (their columns are empty otherwise) and the social graph (followers). People
// without identities (absorbed by a merge) are left out. Rows come in person id order.
//
// Thread safety: one run() per export.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vouch/core/status.h"
#include "vouch/workspace/workspace.h"

namespace vouch::measure {

struct PersonExportRow {
  int64_t person = 0;
  std::string name;
  std::vector<std::string> emails, handles, customer_ids;  // handles as "platform:handle"
  int64_t posts = 0;
  int64_t mentions = 0;                        // of any brand
  std::array<int64_t, 5> acts{};               // endorse, complain, share, ask, other (kActs order)
  std::optional<double> reputation, trust, fairness;
  int64_t ratings_received = 0, ratings_given = 0;
  int64_t followers = 0;
  int64_t orders = 0, order_revenue = 0;       // minor units
  std::optional<int64_t> advocate_id;          // enrolled in the referral program
  int64_t referral_clicks = 0, referral_leads = 0, referral_sales = 0, referral_revenue = 0;
  int64_t commissions = 0;                     // owed or paid (pending, approved, paid; net of reversals)
  int64_t referred_purchases = 0;              // this person's own purchases through someone's link
  std::string currency;
};

class PeopleExport final {
 public:
  explicit PeopleExport(Workspace& workspace) : workspace_(workspace) {}
  // Calls sink for each person in id order; stops at the first error sink returns.
  Status run(const std::function<Status(const PersonExportRow&)>& sink);

 private:
  Workspace& workspace_;
};

// The CSV header line (no newline) and one row (no newline); list cells are joined with ';'.
std::string PeopleCsvHeader();
std::string PeopleCsvRow(const PersonExportRow& row);
// One JSON object (lists as arrays, absent numbers as null).
nlohmann::ordered_json PeopleJson(const PersonExportRow& row);

}  // namespace vouch::measure
