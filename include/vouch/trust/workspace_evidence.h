// WorkspaceEvidence: what a workspace holds about who trusts whom beyond explicit ratings, per person, for
// LocalTrust (local_trust.h) and for `vouch advocates --workspace`.
//
// Interactions, from the stored posts (Store::ForEachPost):
//   reply    u's post replies to a post of v's
//   reshare  u's post reshares a post of v's
//   mention  u's post mentions v's handle (resolved on the post's platform, identity/normalize.h rules, through
//            Store::FindIdentity; handles that name nobody in the workspace are skipped)
// Outcomes of acting on someone's word, from the orders and, when the workspace holds them, the referral
// service's tables (src/refer/refer_schema.h; read only, never written here):
//   a referred purchase is an order whose referral code is a refer_links code (the referrer is that link's
//   advocate's person), or a refer_sales row reached through a lead (customer: refer_customers.person_id);
//   each purchase gives exactly one outcome for (customer, referrer):
//     refund     the sale was refunded (refer_sales.refunded or a refer_refunds row), at the refund time
//     complaint  else, the customer wrote a first-hand complaint (mentions.act = 'complain') within
//                complaint_window_days after buying, at the complaint's time
//     kept       else, at the purchase time: bought on v's word and kept it
//   Self-referrals (customer == referrer) are no evidence of trust and are skipped.
// Mention acts (ReadMentionActs): per person, first-hand endorsements and complaints in the mentions table
// (filled by the listen module at ingest), for the advocates' "why".
//
// Thread safety: one thread at a time, as the Store and SqliteDb beneath.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vouch/core/status.h"
#include "vouch/store/records.h"
#include "vouch/store/sqlite_db.h"
#include "vouch/store/store.h"

namespace vouch::trust {

struct PersonInteraction {
  PersonId from = 0, to = 0;
  int64_t time = 0;  // epoch seconds
};

struct PersonOutcome {
  PersonId customer = 0, referrer = 0;
  int64_t time = 0;  // epoch seconds
};

struct WorkspaceEvidence {
  std::vector<PersonInteraction> replies, reshares, mentions;
  std::vector<PersonOutcome> kept, refunds, complaints;
  bool referral_tables = false;       // the workspace holds the refer module's links and advocates
  int64_t unresolved_codes = 0;       // orders whose referral code no link names (or no link table at all)
  int64_t unresolved_mentions = 0;    // mentioned handles that name nobody in the workspace
};

struct WorkspaceEvidenceOptions {
  int64_t complaint_window_days = 180;
};

// db: the workspace's SQLite file (for the mentions and refer tables); null reads posts and orders only (no
// outcomes can be resolved without the referral links).
Result<WorkspaceEvidence> ReadWorkspaceEvidence(Store& store, store::SqliteDb* db,
                                                WorkspaceEvidenceOptions options = {});

struct MentionActs {
  int64_t endorsements = 0, complaints = 0;
};

// Per author person: how many first-hand endorsements and complaints the mentions table holds (brand empty: all
// brands). An empty map when the table is empty.
Result<std::unordered_map<PersonId, MentionActs>> ReadMentionActs(store::SqliteDb& db, std::string_view brand = {});

// Whether db has a table of that name.
Result<bool> HasTable(store::SqliteDb& db, std::string_view table);

}  // namespace vouch::trust
