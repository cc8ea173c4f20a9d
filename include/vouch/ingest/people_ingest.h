// PeopleIngest: stores a CRM's contacts (docs/formats.md, "People").
//
//   customer_id,email,platform,handle,name     CSV with this header, columns in any order (extras ignored)
//
// The header must name at least one of customer_id, email and handle. Per row any field may be empty, but at
// least one identifier (customer_id, email, or handle) is required; a handle is on the row's platform, or
// options.platform when that is empty. Every identifier on one row belongs to one person: their people are linked
// (automatic merges, recorded with the reason FILE:LINE, undoable; two people whose merge the user undid are left
// apart). A non-empty name becomes the person's display name.
//
// Counts: a row that created an identity or a merge is "stored"; a row that changed nothing (all its
// identifiers already on one person) is a "duplicate", so ingesting a file again stores nothing.
//
// Batched transactions, cancellation and progress as RatingsIngest.
#pragma once

#include <string>

#include "vouch/ingest/record_ingest.h"

namespace vouch::ingest {

struct PeopleIngestOptions : RecordIngestOptions {
  std::string platform = "generic";  // handles' platform when a row names none ([ingest] platform)
};

class PeopleIngest final : public RecordIngest {
 public:
  // store and rejects must outlive the ingest. run() refuses a missing or unusable header with a Status.
  PeopleIngest(Store& store, std::string path, PeopleIngestOptions options, RejectSink& rejects,
               RunControl control = {});

 private:
  Status StoreRecords() override;

  PeopleIngestOptions options_;
};

}  // namespace vouch::ingest
