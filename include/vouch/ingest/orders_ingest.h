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

#include "vouch/ingest/record_ingest.h"

namespace vouch::ingest {

struct OrdersIngestOptions : RecordIngestOptions {
  std::string default_currency = "USD";  // for rows whose currency is empty ([ingest] currency)
};

class OrdersIngest final : public RecordIngest {
 public:
  // store and rejects must outlive the ingest. run() refuses a missing or unusable header with a Status.
  OrdersIngest(Store& store, std::string path, OrdersIngestOptions options, RejectSink& rejects,
               RunControl control = {});

 private:
  Status StoreRecords() override;

  OrdersIngestOptions options_;
};

}  // namespace vouch::ingest
