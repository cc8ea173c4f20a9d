#include "vouch/ingest/orders_ingest.h"

#include <fmt/format.h>

#include <array>

#include "ingest/record_batch.h"
#include "vouch/identity/identity_resolver.h"
#include "vouch/identity/normalize.h"
#include "vouch/ingest/csv_records.h"
#include "vouch/ingest/record_fields.h"

namespace vouch::ingest {
namespace {

constexpr const char* kExpectedHeader = "order_id,customer_id,email,amount_minor,currency,time,referral_code";

struct OrderColumns {
  std::optional<size_t> order_id, customer_id, email, amount_minor, currency, time, referral_code;
};

Result<OrderColumns> ReadOrdersHeader(const std::string& path, const CsvRecord& first) {
  VOUCH_ASSIGN_OR_RETURN(CsvHeader header, ReadRequiredHeader(path, first));
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
    : RecordIngest(store, std::move(path), options, rejects, control), options_(std::move(options)) {}

Status OrdersIngest::StoreRecords() {
  ++record_.passes;
  auto default_currency = ParseCurrency("[ingest] currency", options_.default_currency);
  if (!default_currency.ok()) return default_currency.status();
  VOUCH_ASSIGN_OR_RETURN(auto reader, CsvRecordReader::Open(path_));
  identity::IdentityResolver resolver(store_);
  RecordBatch batch(store_, resolver, batch_records_);
  CsvRecord rec;
  VOUCH_ASSIGN_OR_RETURN(bool any, reader->Next(rec));
  if (!any) return Status::Ok();  // an empty file holds no orders
  VOUCH_ASSIGN_OR_RETURN(OrderColumns col, ReadOrdersHeader(path_, rec));
  const size_t header_size = rec.fields.size();

  for (;;) {
    VOUCH_ASSIGN_OR_RETURN(bool more, reader->Next(rec));
    if (!more) break;
    VOUCH_TRY(CheckControl(batch, *reader, "ingest orders"));
    VOUCH_ASSIGN_OR_RETURN(bool malformed, RejectMalformed(batch, rec, header_size));
    if (malformed) continue;
    Order order;
    order.order_id = std::string(TrimField(FieldOr(rec, col.order_id)));
    if (order.order_id.empty()) {
      VOUCH_TRY(Reject(batch, rec, "order_id is empty"));
      continue;
    }
    order.customer_id = identity::NormalizeCustomerId(FieldOr(rec, col.customer_id));
    std::string_view email = TrimField(FieldOr(rec, col.email));
    if (order.customer_id.empty() && email.empty()) {
      VOUCH_TRY(Reject(batch, rec, "needs customer_id or email (both are empty)"));
      continue;
    }
    std::optional<IdentityKey> email_key;
    if (!email.empty()) {
      auto key = identity::EmailKey(email);
      if (!key.ok()) {
        VOUCH_TRY(Reject(batch, rec, fmt::format("email: {}", key.status().message())));
        continue;
      }
      email_key = std::move(*key);
      order.email = std::string(email);
    }
    auto amount = ParseAmountMinor("amount_minor", FieldOr(rec, col.amount_minor));
    if (!amount.ok()) {
      VOUCH_TRY(Reject(batch, rec, amount.status().message()));
      continue;
    }
    order.amount_minor = *amount;
    std::string_view currency = TrimField(FieldOr(rec, col.currency));
    if (currency.empty()) {
      order.currency = *default_currency;
    } else {
      auto c = ParseCurrency("currency", currency);
      if (!c.ok()) {
        VOUCH_TRY(Reject(batch, rec, c.status().message()));
        continue;
      }
      order.currency = std::move(*c);
    }
    auto time = ParseTime("time", FieldOr(rec, col.time));
    if (!time.ok()) {
      VOUCH_TRY(Reject(batch, rec, time.status().message()));
      continue;
    }
    order.time = *time;
    order.referral_code = std::string(TrimField(FieldOr(rec, col.referral_code)));

    VOUCH_TRY(batch.Open());
    std::optional<identity::ResolvedIdentity> customer, by_email;
    if (!order.customer_id.empty()) {
      auto r = resolver.Resolve(identity::CustomerKey(order.customer_id), order.customer_id);
      if (!r.ok()) return Fail(batch, rec, r.status());
      customer = *r;
      record_.identities_created += r->created ? 1 : 0;
    }
    if (email_key) {
      auto r = resolver.Resolve(*email_key, email);
      if (!r.ok()) return Fail(batch, rec, r.status());
      by_email = *r;
      record_.identities_created += r->created ? 1 : 0;
    }
    auto stored = store_.InsertOrder(order, customer ? customer->identity : by_email->identity);
    if (!stored.ok()) return Fail(batch, rec, stored.status());
    if (*stored && customer && by_email) {
      const std::array<IdentityId, 2> both = {customer->identity, by_email->identity};
      auto link = resolver.Link(both, fmt::format("{}:{}: customer {} and e-mail {} on one order", path_, rec.line,
                                                  order.customer_id, email_key->value));
      if (!link.ok()) return Fail(batch, rec, link.status());
      record_.merges += link->merges.size();
      record_.kept_apart += link->kept_apart.size();
    }
    VOUCH_TRY(batch.CountStored(*stored));
  }
  return FinishPass(batch, *reader, resolver);
}

}  // namespace vouch::ingest
