#include "vouch/listen/mention_writer.h"

#include <fmt/format.h>

namespace vouch::listen {

Result<std::unique_ptr<MentionWriter>> MentionWriter::Create(const std::vector<BrandConfig>& brands,
                                                             std::shared_ptr<const ClassifierModel> model,
                                                             MentionStore& store) {
  VOUCH_ASSIGN_OR_RETURN(MentionDetector detector, MentionDetector::Create(brands));
  return std::unique_ptr<MentionWriter>(new MentionWriter(std::move(detector), std::move(model), store));
}

bool MentionWriter::Classify(std::string_view text) {
  ++record_.posts;
  writes_.clear();
  std::vector<Mention> found = detector_.Detect(text);
  if (found.empty()) return false;
  ++record_.posts_with_mentions;
  // One classification per post: the act is the post's; the sentiment is toward each mention's own brand
  // (BrandSentiment: the post's, unless the post names several brands and says different things of them).
  const Classification c = classifier_.Classify(text);
  BrandSentiment::Assign(classifier_, c, found, toward_);
  for (size_t k = 0; k < found.size(); ++k) {
    Mention& m = found[k];
    writes_.push_back(MentionWrite{std::move(m.brand_name), std::move(m.term), m.begin, m.end, c.act,
                                   c.act_confidence, toward_[k].sentiment, toward_[k].score});
  }
  return true;
}

Status MentionWriter::OnStored(const Post& post) {
  if (!Classify(post.text)) return Status::Ok();
  VOUCH_ASSIGN_OR_RETURN(int64_t added, store_.InsertForPost(post.platform, post.id, writes_));
  record_.mentions += static_cast<uint64_t>(added);
  return Status::Ok();
}

Status MentionWriter::WriteForRow(int64_t post_row, std::string_view text) {
  if (!Classify(text)) return Status::Ok();
  VOUCH_ASSIGN_OR_RETURN(int64_t added, store_.InsertForRow(post_row, writes_));
  record_.mentions += static_cast<uint64_t>(added);
  return Status::Ok();
}

Result<MentionWriteRecord> ClassifyStoredPosts(Store& store, MentionStore& mentions, MentionWriter& writer,
                                               const RunControl& control) {
  const MentionWriteRecord before = writer.record();
  VOUCH_TRY(store.Begin());
  Status status = mentions.DeleteAll().status();
  bool cancelled = false;
  if (status.ok()) {
    Progress progress{"classify posts", 0, 0, "posts", 0};
    Status inner;
    status = store.ForEachPost([&](const Store::StoredPost& s) {
      inner = writer.WriteForRow(s.row, s.post.text);
      if (!inner.ok()) return false;
      if (++progress.done % 1024 == 0) {
        if (control.Cancelled()) {
          cancelled = true;
          return false;
        }
        control.Report(progress);
      }
      return true;
    });
    // The callback's own failure, if any, is the one to report.
    if (status.ok()) status = inner;
    if (status.ok() && cancelled) {
      status = Status::Cancelled("interrupted: the stored mentions were left as they were");
    }
  }
  if (!status.ok()) {
    store.Rollback();
    return status;
  }
  VOUCH_TRY(store.Commit());
  if (control.progress != nullptr) control.progress->Finish();
  MentionWriteRecord done = writer.record();
  done.posts -= before.posts;
  done.posts_with_mentions -= before.posts_with_mentions;
  done.mentions -= before.mentions;
  return done;
}

}  // namespace vouch::listen
