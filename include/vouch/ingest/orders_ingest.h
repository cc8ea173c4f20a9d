// OrdersIngest: stores a shop's orders (docs/formats.md, "Orders").
//
//   order_id,customer_id,email,amount_minor,currency,time,referral_code     CSV with this header, columns in any
//                                                                            order (extra columns are ignored)
//
// A header is required and must name order_id, amount_minor, time and customer_id or email (or both); currency
// and referral_code may be absent. Per row: order_id is required; customer_id or email (both allowed); amount_minor
// is a non-negative whole number of minor units that fits int64 ("12.50", "-3", "1e3" and "" are rejected naming
// the field); currency is three letters, upper-cased, the workspace's default when empty; time is epoch seconds or
// RFC 3339; referral_code may be empty.
//
// The order belongs to the customer id's identity when there is one, else to the e-mail's. A new order with both
// links them: their people become one (an automatic merge whose reason names FILE:LINE; undoable). Natural key
// order_id: an order already stored is a duplicate, and its row links nothing (so re-ingesting a file does not
// redo a merge the user undid).
//
// Batched transactions, cancellation and progress as RatingsIngest.
#pragma once

#include <string>

#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/ingest/record_ingest.h"
#include "vouch/ingest/rejects.h"
#include "vouch/store/store.h"

namespace vouch::ingest {

struct OrdersIngestOptions : RecordIngestOptions {
  std::string default_currency = "USD";  // for rows whose currency is empty ([ingest] currency)
};

class OrdersIngest final {
 public:
  // store and rejects must outlive the ingest.
  OrdersIngest(Store& store, std::string path, OrdersIngestOptions options, RejectSink& rejects,
               RunControl control = {});

  // Reads and stores the file. A missing or unusable header, an unreadable file, a database failure or a
  // cancellation is a Status; rejected rows are not errors.
  Status run();

  bool finished() const { return finished_; }
  const IngestSummary& summary() const;
  const RecordIngestRecord& record() const;

 private:
  Status StoreRecords();

  vouch::Store& store_;
  std::string path_;
  OrdersIngestOptions options_;
  RejectSink& rejects_;
  RunControl control_;

  bool finished_ = false;
  IngestSummary summary_;
  RecordIngestRecord record_;
};

}  // namespace vouch::ingest
