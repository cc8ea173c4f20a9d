// What the record ingests (ratings, orders, people: ratings_ingest.h, orders_ingest.h, people_ingest.h) share:
// their common options and the run record each of them keeps beside its IngestSummary.
#pragma once

#include <cstddef>
#include <cstdint>

#include "vouch/core/clock.h"

namespace vouch::ingest {

struct RecordIngestOptions {
  size_t batch_records = 10'000;                    // records per transaction
  const Clock* clock = &SystemClock::Instance();    // times the run; must outlive the ingest
};

// How a run went, apart from what it stored (IngestSummary): for the CLI's --verbose, benchmarks and logs.
struct RecordIngestRecord {
  double seconds = 0;              // wall time of run()
  uint64_t passes = 0;             // passes over the file (ratings with an inferred scale read it twice)
  uint64_t bytes = 0;              // bytes of the file read in the storing pass
  uint64_t batches = 0;            // transactions committed
  uint64_t identity_lookups = 0;   // identifiers resolved
  uint64_t identity_cache_hits = 0;
  uint64_t identities_created = 0;
  uint64_t merges = 0;             // automatic merges recorded
  uint64_t kept_apart = 0;         // links not made because the user had undone that merge
};

}  // namespace vouch::ingest
