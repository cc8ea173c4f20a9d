#include "vouch/ingest/people_ingest.h"

#include <fmt/format.h>

#include <cassert>
#include <vector>

#include "ingest/record_batch.h"
#include "vouch/identity/identifier.h"
#include "vouch/identity/identity_resolver.h"
#include "vouch/identity/normalize.h"
#include "vouch/ingest/csv_records.h"
#include "vouch/ingest/record_fields.h"

namespace vouch::ingest {
namespace {

constexpr uint64_t kProgressEvery = 4096;

struct PeopleColumns {
  std::optional<size_t> customer_id, email, platform, handle, name;
};

Result<PeopleColumns> ReadHeader(const std::string& path, const CsvRecord& first) {
  if (!first.error.empty()) return Status::InvalidArgument(fmt::format("{}:{}: {}", path, first.line, first.error));
  CsvHeader header(first.fields);
  if (!header.duplicate().empty()) {
    return Status::InvalidArgument(
        fmt::format("{}:{}: the header names column '{}' twice", path, first.line, header.duplicate()));
  }
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
    : store_(store), path_(std::move(path)), options_(std::move(options)), rejects_(rejects), control_(control) {}

const IngestSummary& PeopleIngest::summary() const {
  assert(finished_ && "PeopleIngest::summary() before run() finished");
  return summary_;
}
const RecordIngestRecord& PeopleIngest::record() const {
  assert(finished_ && "PeopleIngest::record() before run() finished");
  return record_;
}

Status PeopleIngest::run() {
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

Status PeopleIngest::StoreRecords() {
  ++record_.passes;
  VOUCH_ASSIGN_OR_RETURN(auto reader, CsvRecordReader::Open(path_));
  identity::IdentityResolver resolver(store_);
  RecordBatch batch(store_, resolver, options_.batch_records);
  CsvRecord rec;
  VOUCH_ASSIGN_OR_RETURN(bool any, reader->Next(rec));
  if (!any) return Status::Ok();
  VOUCH_ASSIGN_OR_RETURN(PeopleColumns col, ReadHeader(path_, rec));
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

  struct Identifier {
    IdentityKey key;
    std::string display;
  };
  std::vector<Identifier> ids;
  std::vector<IdentityId> resolved;
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
      control_.Report({"ingest people", reader->bytes_read(), reader->total_bytes(), "bytes", seen.read});
    }
    if (!rec.error.empty()) {
      VOUCH_TRY(reject(rec, rec.error));
      continue;
    }
    if (rec.fields.size() > header_size) {
      VOUCH_TRY(reject(rec, fmt::format("found {} fields, the header has {}", rec.fields.size(), header_size)));
      continue;
    }
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
        VOUCH_TRY(reject(rec, fmt::format("email: {}", key.status().message())));
        continue;
      }
      ids.push_back({std::move(*key), std::string(email)});
    }
    if (!handle.empty()) {
      IdentityKey key = identity::HandleKey(platform.empty() ? options_.platform : platform, handle);
      if (key.value.empty()) {
        VOUCH_TRY(reject(rec, fmt::format("handle '{}' is empty once normalised", handle)));
        continue;
      }
      ids.push_back({std::move(key), std::string(handle)});
    }
    if (ids.empty()) {
      VOUCH_TRY(reject(rec, "needs at least one of customer_id, email, handle (all are empty)"));
      continue;
    }

    VOUCH_TRY(batch.Open());
    bool changed = false;
    resolved.clear();
    std::string joined;
    for (const auto& id : ids) {
      auto r = resolver.Resolve(id.key, id.display);
      if (!r.ok()) return fail(rec, r.status());
      resolved.push_back(r->identity);
      changed = changed || r->created;
      record_.identities_created += r->created ? 1 : 0;
      joined += fmt::format("{}{}", joined.empty() ? "" : ", ", identity::FormatIdentifier(id.key));
    }
    auto link = resolver.Link(resolved, fmt::format("{}:{}: one contact ({})", path_, rec.line, joined));
    if (!link.ok()) return fail(rec, link.status());
    changed = changed || !link->merges.empty();
    record_.merges += link->merges.size();
    record_.kept_apart += link->kept_apart.size();
    if (!name.empty()) {
      Status renamed = store_.RenamePerson(link->person, name);
      if (!renamed.ok()) return fail(rec, renamed);
    }
    IngestSummary s;
    s.read = 1;
    (changed ? s.stored : s.duplicate) = 1;
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
