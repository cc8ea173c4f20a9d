// ReportBuilder's advocates section: the chosen seed set (or the most reputable people) with what they earned.
#include "vouch/measure/report_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

#include "measure/followers.h"
#include "vouch/identity/normalize.h"

#include "measure/report_sections.h"
#include "vouch/store/rows.h"
#include "vouch/store/sqlite_db.h"

namespace vouch::measure {

using namespace report;  // NOLINT: the section helpers (report_sections.h)

Status ReportBuilder::FillAdvocates() {
  AdvocatesSection& s = data_.advocates;
  // Who: the seed set `vouch advocates` chose (in its order, with the reach each adds), else the people of
  // highest reputation.
  std::vector<std::pair<int64_t, std::optional<double>>> people;
  if (options_.seeds_json.empty() && std::filesystem::exists(workspace_.Path("advocates.json"))) {
    options_.seeds_json = workspace_.Path("advocates.json");
  }
  if (!options_.seeds_json.empty()) {
    std::ifstream in(options_.seeds_json);
    if (!in) return Status::IoError(fmt::format("cannot read {}", options_.seeds_json.string()));
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      return Status::InvalidArgument(fmt::format("{}: not JSON: {}", options_.seeds_json.string(), e.what()));
    }
    if (!j.contains("seeds") || !j["seeds"].is_array()) {
      return Status::InvalidArgument(
          fmt::format("{}: no \"seeds\" array (expected `vouch advocates --json` output)", options_.seeds_json.string()));
    }
    VOUCH_ASSIGN_OR_RETURN(store::Statement * q,
                           db_->Prepare("SELECT person_id FROM identities WHERE kind = 'handle' AND value = ?1 "
                                        "ORDER BY id LIMIT 1"));
    for (const auto& seed : j["seeds"]) {
      std::string id = seed.value("id", "");
      q->Bind(1, identity::NormalizeHandle("", id));
      VOUCH_ASSIGN_OR_RETURN(auto person, FirstRow(*q, [](const Statement& row) { return row.Int(0); }));
      if (!person) continue;
      std::optional<double> reach;
      if (seed.contains("marginal_spread") && seed["marginal_spread"].is_number()) {
        reach = seed["marginal_spread"].get<double>();
      }
      people.emplace_back(*person, reach);
      if (static_cast<int>(people.size()) >= options_.top_advocates) break;
    }
    s.source = fmt::format("seed set of `vouch advocates` ({})", options_.seeds_json.filename().string());
  } else if (trust_ready_) {
    VOUCH_ASSIGN_OR_RETURN(store::Statement * q,
                           db_->Prepare("SELECT person_id FROM trust_reputation "
                                        "ORDER BY reputation DESC, ratings_received DESC LIMIT ?1"));
    q->Bind(1, options_.top_advocates);
    VOUCH_TRY(ForEachRow(*q, [&](const Statement& row) { people.emplace_back(row.Int(0), std::nullopt); }));
    s.source = "highest reputation (pass --advocates with `vouch advocates --json` output for the chosen seed set)";
  }
  if (people.empty()) {
    s.state.missing = "no advocates: run `vouch trust compute`, or `vouch advocates ... --json` with its output saved "
                      "as advocates.json in the workspace (or passed with --advocates FILE)";
    return Status::Ok();
  }
  VOUCH_ASSIGN_OR_RETURN(store::Statement * name,
                         db_->Prepare("SELECT p.display_name, COALESCE((SELECT display FROM identities i WHERE "
                                      "i.person_id = p.id AND i.kind = 'handle' ORDER BY i.id LIMIT 1), '') "
                                      "FROM people p WHERE p.id = ?1"));
  VOUCH_ASSIGN_OR_RETURN(store::Statement * acts,
                         db_->Prepare("SELECT COALESCE(SUM(m.act = 'endorse'), 0), COALESCE(SUM(m.act = 'complain'), 0) "
                                      "FROM mentions m JOIN posts p ON p.id = m.post_id "
                                      "JOIN identities i ON i.id = p.author_identity "
                                      "WHERE i.person_id = ?1 AND m.brand = ?2"));
  for (const auto& [person, reach] : people) {
    AdvocateRow r;
    r.person = person;
    r.expected_reach = reach;
    name->Bind(1, person);
    VOUCH_ASSIGN_OR_RETURN(auto names, FirstRow(*name, Columns<std::string, std::string>));
    if (names) std::tie(r.name, r.handle) = std::move(*names);
    acts->Bind(1, person).Bind(2, data_.brand);
    VOUCH_ASSIGN_OR_RETURN(auto counts, FirstRow(*acts, Columns<int64_t, int64_t>));
    if (counts) std::tie(r.endorsements, r.complaints) = *counts;
    if (trust_ready_) {
      VOUCH_ASSIGN_OR_RETURN(store::Statement * t,
                             db_->Prepare("SELECT reputation, trust, ratings_received FROM trust_reputation "
                                          "WHERE person_id = ?1"));
      t->Bind(1, person);
      VOUCH_ASSIGN_OR_RETURN(auto trust, FirstRow(*t, Columns<double, double, int64_t>));
      if (trust) std::tie(r.reputation, r.trust_received, r.ratings_received) = *trust;
    }
    auto f = followers_.find(person);
    r.followers = f == followers_.end() ? 0 : f->second;
    std::vector<std::string> why;
    if (r.endorsements > 0) why.push_back(fmt::format("endorsed {} {} time{}", data_.brand, r.endorsements,
                                                      r.endorsements == 1 ? "" : "s"));
    if (r.ratings_received > 0) {
      why.push_back(fmt::format("reputation {:.2f} from {} rating{}", r.reputation, r.ratings_received,
                                r.ratings_received == 1 ? "" : "s"));
    }
    if (r.expected_reach) why.push_back(fmt::format("adds {:.1f} people of expected reach", *r.expected_reach));
    if (r.followers > 0) why.push_back(fmt::format("{} followers", r.followers));
    if (r.complaints > 0) why.push_back(fmt::format("but complained {} time{}", r.complaints, r.complaints == 1 ? "" : "s"));
    for (size_t i = 0; i < why.size(); ++i) r.why += (i ? "; " : "") + why[i];
    s.rows.push_back(std::move(r));
  }
  s.state.available = true;
  return Status::Ok();
}

}  // namespace vouch::measure
