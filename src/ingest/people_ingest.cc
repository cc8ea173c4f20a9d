#include "vouch/ingest/people_ingest.h"

#include <fmt/format.h>

#include <vector>

#include "ingest/record_batch.h"
#include "vouch/identity/identifier.h"
#include "vouch/identity/identity_resolver.h"
#include "vouch/identity/normalize.h"
#include "vouch/ingest/csv_records.h"
#include "vouch/ingest/record_fields.h"

namespace vouch::ingest {
namespace {


struct PeopleColumns {
  std::optional<size_t> customer_id, email, platform, handle, name;
};

Result<PeopleColumns> ReadPeopleHeader(const std::string& path, const CsvRecord& first) {
  VOUCH_ASSIGN_OR_RETURN(CsvHeader header, ReadRequiredHeader(path, first));
  PeopleColumns c{header.Find("customer_id"), header.Find("email"), header.Find("platform"), header.Find("handle"),
                  header.Find("name")};
  if (!c.customer_id && !c.email && !c.handle) {
    return Status::InvalidArgument(fmt::format(
        "{}:{}: the header names none of customer_id, email, handle (expected a header like "
        "customer_id,email,platform,handle,name)",
        path, first.line));
  }
  return c;
}

}  // namespace

PeopleIngest::PeopleIngest(vouch::Store& store, std::string path, PeopleIngestOptions options,
                           RejectSink& rejects, RunControl control)
    : RecordIngest(store, std::move(path), options, rejects, control), options_(std::move(options)) {}

Status PeopleIngest::StoreRecords() {
  ++record_.passes;
  VOUCH_ASSIGN_OR_RETURN(auto reader, CsvRecordReader::Open(path_));
  identity::IdentityResolver resolver(store_);
  RecordBatch batch(store_, resolver, batch_records_);
  CsvRecord rec;
  VOUCH_ASSIGN_OR_RETURN(bool any, reader->Next(rec));
  if (!any) return Status::Ok();
  VOUCH_ASSIGN_OR_RETURN(PeopleColumns col, ReadPeopleHeader(path_, rec));
  const size_t header_size = rec.fields.size();

  struct Identifier {
    IdentityKey key;
    std::string display;
  };
  std::vector<Identifier> ids;
  std::vector<IdentityId> resolved;
  for (;;) {
    VOUCH_ASSIGN_OR_RETURN(bool more, reader->Next(rec));
    if (!more) break;
    VOUCH_TRY(CheckControl(batch, *reader, "ingest people"));
    VOUCH_ASSIGN_OR_RETURN(bool malformed, RejectMalformed(batch, rec, header_size));
    if (malformed) continue;
    ids.clear();
    std::string_view customer = TrimField(FieldOr(rec, col.customer_id));
    std::string_view email = TrimField(FieldOr(rec, col.email));
    std::string_view handle = TrimField(FieldOr(rec, col.handle));
    std::string_view platform = TrimField(FieldOr(rec, col.platform));
    std::string_view name = TrimField(FieldOr(rec, col.name));
    if (!customer.empty()) ids.push_back({identity::CustomerKey(customer), std::string(customer)});
    if (!email.empty()) {
      auto key = identity::EmailKey(email);
      if (!key.ok()) {
        VOUCH_TRY(Reject(batch, rec, fmt::format("email: {}", key.status().message())));
        continue;
      }
      ids.push_back({std::move(*key), std::string(email)});
    }
    if (!handle.empty()) {
      IdentityKey key = identity::HandleKey(platform.empty() ? options_.platform : platform, handle);
      if (key.value.empty()) {
        VOUCH_TRY(Reject(batch, rec, fmt::format("handle '{}' is empty once normalised", handle)));
        continue;
      }
      ids.push_back({std::move(key), std::string(handle)});
    }
    if (ids.empty()) {
      VOUCH_TRY(Reject(batch, rec, "needs at least one of customer_id, email, handle (all are empty)"));
      continue;
    }

    VOUCH_TRY(batch.Open());
    bool changed = false;
    resolved.clear();
    std::string joined;
    for (const auto& id : ids) {
      auto r = resolver.Resolve(id.key, id.display);
      if (!r.ok()) return Fail(batch, rec, r.status());
      resolved.push_back(r->identity);
      changed = changed || r->created;
      record_.identities_created += r->created ? 1 : 0;
      joined += fmt::format("{}{}", joined.empty() ? "" : ", ", identity::FormatIdentifier(id.key));
    }
    auto link = resolver.Link(resolved, fmt::format("{}:{}: one contact ({})", path_, rec.line, joined));
    if (!link.ok()) return Fail(batch, rec, link.status());
    changed = changed || !link->merges.empty();
    record_.merges += link->merges.size();
    record_.kept_apart += link->kept_apart.size();
    if (!name.empty()) {
      Status renamed = store_.RenamePerson(link->person, name);
      if (!renamed.ok()) return Fail(batch, rec, renamed);
    }
    VOUCH_TRY(batch.CountStored(changed));
  }
  return FinishPass(batch, *reader, resolver);
}

}  // namespace vouch::ingest
