// What the listen verbs need from a workspace: its mentions (MentionStore on the workspace's SQLite file), the
// writer ingest hands each stored post to, the reputation `vouch trust compute` stored, and the lookups of a brand
// and of a time given on the command line.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "vouch/core/status.h"
#include "vouch/listen/listen_report.h"
#include "vouch/listen/mention_store.h"
#include "vouch/listen/mention_writer.h"
#include "vouch/workspace/workspace.h"

namespace vouch::listen {

// The workspace's mentions; FailedPrecondition when its store is not the SQLite one.
Result<std::unique_ptr<MentionStore>> OpenMentionStore(Workspace& workspace);

// The writer for ingest and `vouch listen classify`: the workspace's brands and the classifier (zero-shot unless
// model_path names a model from `vouch listen train`; lexicon and cue book from their default places). nullptr
// when the workspace has no [[brand]]: there is nothing to detect.
Result<std::unique_ptr<MentionWriter>> OpenMentionWriter(Workspace& workspace, MentionStore& mentions,
                                                         const std::string& model_path);

// Reputation per person from the trust module's tables; computed = false when trust was never computed (the
// tables are not created by asking).
Result<PersonTrust> LoadPersonTrust(Workspace& workspace);

// The [[brand]] named name; NotFound listing the configured brands otherwise.
Result<const BrandConfig*> FindBrand(const WorkspaceConfig& config, std::string_view name);

// "platform:id" of the posts the brand's own handles replied to.
Result<std::unordered_set<std::string>> AnsweredByBrand(MentionStore& mentions, const BrandConfig& brand);

// A time on the command line: a date "2026-03-02" (00:00 UTC), RFC 3339, or epoch seconds. InvalidArgument naming
// the option otherwise.
Result<int64_t> ParseTimeOption(std::string_view option, std::string_view text);

}  // namespace vouch::listen
