#include "vouch/ingest/orders_ingest.h"

#include <fmt/format.h>

#include <array>
#include <cassert>

#include "ingest/record_batch.h"
#include "vouch/identity/identity_resolver.h"
#include "vouch/identity/normalize.h"
#include "vouch/ingest/csv_records.h"
#include "vouch/ingest/record_fields.h"

namespace vouch::ingest {
namespace {

constexpr uint64_t kProgressEvery = 4096;
constexpr const char* kExpectedHeader = "order_id,customer_id,email,amount_minor,currency,time,referral_code";

struct OrderColumns {
  std::optional<size_t> order_id, customer_id, email, amount_minor, currency, time, referral_code;
};

Result<OrderColumns> ReadHeader(const std::string& path, const CsvRecord& first) {
  if (!first.error.empty()) return Status::InvalidArgument(fmt::format("{}:{}: {}", path, first.line, first.error));
  CsvHeader header(first.fields);
  if (!header.duplicate().empty()) {
    return Status::InvalidArgument(
        fmt::format("{}:{}: the header names column '{}' twice", path, first.line, header.duplicate()));
  }
  OrderColumns c{header.Find("order_id"), header.Find("customer_id"), header.Find("email"),
                 header.Find("amount_minor"), header.Find("currency"), header.Find("time"),
                 header.Find("referral_code")};
  std::string missing;
  auto need = [&](bool ok, const char* what) {
    if (!ok) missing += fmt::format("{}{}", missing.empty() ? "" : ", ", what);
  };
  need(c.order_id.has_value(), "order_id");
  need(c.customer_id || c.email, "customer_id or email");
  need(c.amount_minor.has_value(), "amount_minor");
  need(c.time.has_value(), "time");
  if (!missing.empty()) {
    return Status::InvalidArgument(fmt::format("{}:{}: the header lacks {} (expected a header like {})", path,
                                               first.line, missing, kExpectedHeader));
  }
  return c;
}

}  // namespace

OrdersIngest::OrdersIngest(vouch::Store& store, std::string path, OrdersIngestOptions options,
                           RejectSink& rejects, RunControl control)
    : store_(store), path_(std::move(path)), options_(std::move(options)), rejects_(rejects), control_(control) {}

const IngestSummary& OrdersIngest::summary() const {
  assert(finished_ && "OrdersIngest::summary() before run() finished");
  return summary_;
}
const RecordIngestRecord& OrdersIngest::record() const {
  assert(finished_ && "OrdersIngest::record() before run() finished");
  return record_;
}

Status OrdersIngest::run() {
  finished_ = false;
  summary_ = {};
  record_ = {};
  int64_t start = options_.clock->NowMillis();
  Status status = StoreRecords();
  record_.seconds = static_cast<double>(options_.clock->NowMillis() - start) / 1000.0;
  finished_ = true;
  if (control_.progress != nullptr) control_.progress->Finish();
  return status;
}

Status OrdersIngest::StoreRecords() {
  ++record_.passes;
  auto default_currency = ParseCurrency("[ingest] currency", options_.default_currency);
  if (!default_currency.ok()) return default_currency.status();
  VOUCH_ASSIGN_OR_RETURN(auto reader, CsvRecordReader::Open(path_));
  identity::IdentityResolver resolver(store_);
  RecordBatch batch(store_, resolver, options_.batch_records);
  CsvRecord rec;
  VOUCH_ASSIGN_OR_RETURN(bool any, reader->Next(rec));
  if (!any) return Status::Ok();  // an empty file holds no orders
  VOUCH_ASSIGN_OR_RETURN(OrderColumns col, ReadHeader(path_, rec));
  const size_t header_size = rec.fields.size();

  auto reject = [&](const CsvRecord& r, std::string_view reason) -> Status {
    VOUCH_TRY(rejects_.Reject(path_, r.line, reason, r.raw));
    IngestSummary s;
    s.read = 1;
    s.rejected = 1;
    return batch.Count(s);
  };
  auto fail = [&](const CsvRecord& r, const Status& s) {
    batch.Abort();
    summary_ = batch.committed();
    return Status(s.code(), fmt::format("{}:{}: {}", path_, r.line, s.message()));
  };

  for (;;) {
    VOUCH_ASSIGN_OR_RETURN(bool more, reader->Next(rec));
    if (!more) break;
    if (control_.Cancelled()) {
      batch.Abort();
      summary_ = batch.committed();
      return Status::Cancelled(fmt::format("ingest of {} interrupted; run it again to complete it", path_));
    }
    IngestSummary seen = batch.seen();
    if (seen.read % kProgressEvery == 0 && seen.read > 0) {
      control_.Report({"ingest orders", reader->bytes_read(), reader->total_bytes(), "bytes", seen.read});
    }
    if (!rec.error.empty()) {
      VOUCH_TRY(reject(rec, rec.error));
      continue;
    }
    if (rec.fields.size() > header_size) {
      VOUCH_TRY(reject(rec, fmt::format("found {} fields, the header has {}", rec.fields.size(), header_size)));
      continue;
    }
    Order order;
    order.order_id = std::string(TrimField(FieldOr(rec, col.order_id)));
    if (order.order_id.empty()) {
      VOUCH_TRY(reject(rec, "order_id is empty"));
      continue;
    }
    order.customer_id = identity::NormalizeCustomerId(FieldOr(rec, col.customer_id));
    std::string_view email = TrimField(FieldOr(rec, col.email));
    if (order.customer_id.empty() && email.empty()) {
      VOUCH_TRY(reject(rec, "needs customer_id or email (both are empty)"));
      continue;
    }
    std::optional<IdentityKey> email_key;
    if (!email.empty()) {
      auto key = identity::EmailKey(email);
      if (!key.ok()) {
        VOUCH_TRY(reject(rec, fmt::format("email: {}", key.status().message())));
        continue;
      }
      email_key = std::move(*key);
      order.email = std::string(email);
    }
    auto amount = ParseAmountMinor("amount_minor", FieldOr(rec, col.amount_minor));
    if (!amount.ok()) {
      VOUCH_TRY(reject(rec, amount.status().message()));
      continue;
    }
    order.amount_minor = *amount;
    std::string_view currency = TrimField(FieldOr(rec, col.currency));
    if (currency.empty()) {
      order.currency = *default_currency;
    } else {
      auto c = ParseCurrency("currency", currency);
      if (!c.ok()) {
        VOUCH_TRY(reject(rec, c.status().message()));
        continue;
      }
      order.currency = std::move(*c);
    }
    auto time = ParseTime("time", FieldOr(rec, col.time));
    if (!time.ok()) {
      VOUCH_TRY(reject(rec, time.status().message()));
      continue;
    }
    order.time = *time;
    order.referral_code = std::string(TrimField(FieldOr(rec, col.referral_code)));

    VOUCH_TRY(batch.Open());
    std::optional<identity::ResolvedIdentity> customer, by_email;
    if (!order.customer_id.empty()) {
      auto r = resolver.Resolve(identity::CustomerKey(order.customer_id), order.customer_id);
      if (!r.ok()) return fail(rec, r.status());
      customer = *r;
      record_.identities_created += r->created ? 1 : 0;
    }
    if (email_key) {
      auto r = resolver.Resolve(*email_key, email);
      if (!r.ok()) return fail(rec, r.status());
      by_email = *r;
      record_.identities_created += r->created ? 1 : 0;
    }
    auto stored = store_.InsertOrder(order, customer ? customer->identity : by_email->identity);
    if (!stored.ok()) return fail(rec, stored.status());
    if (*stored && customer && by_email) {
      const std::array<IdentityId, 2> both = {customer->identity, by_email->identity};
      auto link = resolver.Link(both, fmt::format("{}:{}: customer {} and e-mail {} on one order", path_, rec.line,
                                                  order.customer_id, email_key->value));
      if (!link.ok()) return fail(rec, link.status());
      record_.merges += link->merges.size();
      record_.kept_apart += link->kept_apart.size();
    }
    IngestSummary s;
    s.read = 1;
    (*stored ? s.stored : s.duplicate) = 1;
    VOUCH_TRY(batch.Count(s));
  }
  VOUCH_TRY(batch.Flush());
  summary_ = batch.committed();
  record_.bytes = reader->bytes_read();
  record_.batches = batch.batches();
  record_.identity_lookups = resolver.cache_hits() + resolver.cache_misses();
  record_.identity_cache_hits = resolver.cache_hits();
  return Status::Ok();
}

}  // namespace vouch::ingest
