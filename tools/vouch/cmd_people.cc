// vouch people show|merge|split|merges|undo: look at a person behind many identifiers and correct what automatic
// linking did. People are named by id ("42") or by an identifier ("email:jane@example.com", "customer:C-1",
// "x:@jane").
#include <fmt/format.h>

#include <charconv>
#include <ctime>
#include <nlohmann/json.hpp>

#include "command.h"
#include "vouch/graph/graph_people.h"
#include "vouch/identity/identifier.h"
#include "vouch/identity/identity_resolver.h"
#include "vouch/identity/person_profile.h"
#include "vouch/workspace/workspace.h"

namespace vouch::cli {
namespace {

struct PeopleOptions {
  std::string workspace;
  std::string a, b;       // person references / identifier
  std::string reason;
  std::string person;     // merges --person
  int64_t merge_id = 0;
  bool json = false;
};

std::string Utc(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

nlohmann::json MergeJson(const Merge& m) {
  nlohmann::json j = {{"id", m.id},         {"at", Utc(m.at)},         {"kept", m.kept},
                      {"absorbed", m.absorbed}, {"reason", m.reason}, {"automatic", m.automatic},
                      {"moved_identities", m.moved}};
  j["undone_at"] = m.undone_at ? nlohmann::json(Utc(*m.undone_at)) : nlohmann::json(nullptr);
  return j;
}

std::string MergeLine(const Merge& m) {
  return fmt::format("#{}  {}  person {} absorbed person {} ({} identities)  {}  {}{}", m.id, Utc(m.at), m.kept,
                     m.absorbed, m.moved.size(), m.automatic ? "automatic" : "manual", m.reason,
                     m.undone_at ? fmt::format("  [undone {}]", Utc(*m.undone_at)) : "");
}

std::string Dump(const nlohmann::json& j) { return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace); }

// The people verbs see every person, the social graph's too (created on first need: graph/graph_people.h).
Result<std::unique_ptr<Workspace>> OpenWorkspace(const PeopleOptions& opts) {
  VOUCH_ASSIGN_OR_RETURN(std::unique_ptr<Workspace> ws, Workspace::Open(opts.workspace));
  VOUCH_TRY(graph::GraphPeopleMapper(*ws).run());
  return ws;
}

int RunShow(const PeopleOptions& opts) {
  auto ws = OpenWorkspace(opts);
  if (!ws.ok()) return Fail(ws.status());
  identity::IdentityResolver resolver((*ws)->store());
  auto id = resolver.FindPerson(opts.a);
  if (!id.ok()) return Fail(id.status());
  auto profile = identity::DescribePerson((*ws)->store(), *id);
  if (!profile.ok()) return Fail(profile.status());
  const Person& p = profile->person;
  const PersonActivity& a = profile->activity;
  if (opts.json) {
    nlohmann::json ids = nlohmann::json::array();
    for (const auto& i : p.identities) {
      ids.push_back({{"id", i.id},
                     {"identifier", identity::FormatIdentifier(i.key)},
                     {"kind", IdentityKindName(i.key.kind)},
                     {"scope", i.key.scope},
                     {"value", i.key.value},
                     {"display", i.display}});
    }
    nlohmann::json merges = nlohmann::json::array();
    for (const auto& m : profile->merges) merges.push_back(MergeJson(m));
    nlohmann::json out = {{"person", p.id},
                          {"name", p.display_name},
                          {"identities", ids},
                          {"merges", merges},
                          {"activity",
                           {{"posts", a.posts},
                            {"ratings_given", a.ratings_given},
                            {"ratings_received", a.ratings_received},
                            {"orders", a.orders}}}};
    fmt::print("{}\n", Dump(out));
    return kExitOk;
  }
  fmt::print("person {}  {}\n", p.id, p.display_name);
  fmt::print("identities ({})\n", p.identities.size());
  for (const auto& i : p.identities) {
    fmt::print("  {:<40} id {:<8} seen as {}\n", identity::FormatIdentifier(i.key), i.id, i.display);
  }
  fmt::print("merges ({})\n", profile->merges.size());
  for (const auto& m : profile->merges) fmt::print("  {}\n", MergeLine(m));
  fmt::print("activity  posts {}, ratings given {}, ratings received {}, orders {}\n", a.posts, a.ratings_given,
             a.ratings_received, a.orders);
  return kExitOk;
}

int RunMerge(const PeopleOptions& opts) {
  auto ws = OpenWorkspace(opts);
  if (!ws.ok()) return Fail(ws.status());
  identity::IdentityResolver resolver((*ws)->store());
  auto a = resolver.FindPerson(opts.a);
  if (!a.ok()) return Fail(a.status());
  auto b = resolver.FindPerson(opts.b);
  if (!b.ok()) return Fail(b.status());
  if (*a == *b) {
    fmt::print("{} and {} are already one person ({})\n", opts.a, opts.b, *a);
    return kExitOk;
  }
  std::string reason = opts.reason.empty() ? fmt::format("manual: {} + {}", opts.a, opts.b) : opts.reason;
  Store& store = (*ws)->store();
  if (Status s = store.Begin(); !s.ok()) return Fail(s);
  auto merge = resolver.Merge(*a, *b, reason);
  if (!merge.ok()) {
    store.Rollback();
    return Fail(merge.status());
  }
  if (Status s = store.Commit(); !s.ok()) return Fail(s);
  fmt::print("merge #{}: person {} absorbed person {} (undo with `vouch people undo {}`)\n", *merge,
             std::min(*a, *b), std::max(*a, *b), *merge);
  return kExitOk;
}

int RunSplit(const PeopleOptions& opts) {
  auto ws = OpenWorkspace(opts);
  if (!ws.ok()) return Fail(ws.status());
  identity::IdentityResolver resolver((*ws)->store());
  auto identity = resolver.FindIdentity(opts.a);
  if (!identity.ok()) return Fail(identity.status());
  Store& store = (*ws)->store();
  if (Status s = store.Begin(); !s.ok()) return Fail(s);
  auto person = resolver.Split(identity->id);
  if (!person.ok()) {
    store.Rollback();
    return Fail(person.status());
  }
  if (Status s = store.Commit(); !s.ok()) return Fail(s);
  fmt::print("{} moved from person {} to new person {}\n", identity::FormatIdentifier(identity->key),
             identity->person, *person);
  return kExitOk;
}

int RunMerges(const PeopleOptions& opts) {
  auto ws = OpenWorkspace(opts);
  if (!ws.ok()) return Fail(ws.status());
  std::optional<PersonId> involving;
  if (!opts.person.empty()) {
    // Merged-away people are still valid here: listing where they went is the point.
    PersonId id = 0;
    auto [end, ec] = std::from_chars(opts.person.data(), opts.person.data() + opts.person.size(), id);
    if (ec == std::errc() && end == opts.person.data() + opts.person.size()) {
      auto p = (*ws)->store().GetPerson(id);
      if (!p.ok()) return Fail(p.status());
      if (!*p) return Fail(Status::NotFound(fmt::format("no person {} in this workspace", id)));
      involving = id;
    } else {
      identity::IdentityResolver resolver((*ws)->store());
      auto found = resolver.FindPerson(opts.person);
      if (!found.ok()) return Fail(found.status());
      involving = *found;
    }
  }
  auto merges = (*ws)->store().ListMerges(involving);
  if (!merges.ok()) return Fail(merges.status());
  if (opts.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& m : *merges) out.push_back(MergeJson(m));
    fmt::print("{}\n", Dump(out));
    return kExitOk;
  }
  if (merges->empty()) fmt::print("no merges\n");
  for (const auto& m : *merges) fmt::print("{}\n", MergeLine(m));
  return kExitOk;
}

int RunUndo(const PeopleOptions& opts) {
  auto ws = OpenWorkspace(opts);
  if (!ws.ok()) return Fail(ws.status());
  identity::IdentityResolver resolver((*ws)->store());
  Store& store = (*ws)->store();
  if (Status s = store.Begin(); !s.ok()) return Fail(s);
  if (Status s = resolver.Undo(opts.merge_id); !s.ok()) {
    store.Rollback();
    return Fail(s);
  }
  if (Status s = store.Commit(); !s.ok()) return Fail(s);
  fmt::print("merge #{} undone\n", opts.merge_id);
  return kExitOk;
}

void RegisterPeople(CLI::App& app) {
  auto* people = app.add_subcommand("people", "People behind identities: show, merge, split and undo merges");
  people->require_subcommand(1);
  people->footer("A person is named by id (42) or by an identifier: email:ADDRESS, customer:ID or PLATFORM:HANDLE "
                 "(x:@jane, mastodon:jane@mastodon.social).");

  auto show_opts = std::make_shared<PeopleOptions>();
  auto* show = people->add_subcommand("show", "A person's identities, merges and activity");
  AddWorkspaceOption(*show, show_opts->workspace);
  show->add_option("person", show_opts->a, "Person id or identifier")->required();
  show->add_flag("--json", show_opts->json, "Print JSON");
  show->callback([show_opts] { Exit(RunShow(*show_opts)); });

  auto merge_opts = std::make_shared<PeopleOptions>();
  auto* merge = people->add_subcommand("merge", "Make two people one (the older, lower id, is kept; undoable)");
  AddWorkspaceOption(*merge, merge_opts->workspace);
  merge->add_option("a", merge_opts->a, "Person id or identifier")->required();
  merge->add_option("b", merge_opts->b, "Person id or identifier")->required();
  merge->add_option("--reason", merge_opts->reason, "Why, recorded with the merge");
  merge->callback([merge_opts] { Exit(RunMerge(*merge_opts)); });

  auto split_opts = std::make_shared<PeopleOptions>();
  auto* split = people->add_subcommand("split", "Move one identity into a new person of its own");
  AddWorkspaceOption(*split, split_opts->workspace);
  split->add_option("identifier", split_opts->a, "The identity: email:ADDRESS, customer:ID or PLATFORM:HANDLE")
      ->required();
  split->callback([split_opts] { Exit(RunSplit(*split_opts)); });

  auto merges_opts = std::make_shared<PeopleOptions>();
  auto* merges = people->add_subcommand("merges", "The recorded merges, automatic and manual, oldest first");
  AddWorkspaceOption(*merges, merges_opts->workspace);
  merges->add_option("--person", merges_opts->person, "Only merges that kept or absorbed this person");
  merges->add_flag("--json", merges_opts->json, "Print JSON");
  merges->callback([merges_opts] { Exit(RunMerges(*merges_opts)); });

  auto undo_opts = std::make_shared<PeopleOptions>();
  auto* undo = people->add_subcommand("undo", "Undo a merge: its identities go back to the person they came from");
  AddWorkspaceOption(*undo, undo_opts->workspace);
  undo->add_option("merge_id", undo_opts->merge_id, "The merge's id (see `vouch people merges`)")->required();
  undo->callback([undo_opts] { Exit(RunUndo(*undo_opts)); });
}

}  // namespace
VOUCH_COMMAND(60, "people", RegisterPeople);
}  // namespace vouch::cli
