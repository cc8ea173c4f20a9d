// MentionWriter: classifies posts as they are stored. For each post it runs MentionDetector over the text; a post
// that mentions no configured brand costs that one pass and nothing else. A post that mentions brands is classified
// once (PostClassifier: act, act confidence, sentiment) and gets one mentions row per detected mention (brand, the
// configured term, its byte span) carrying the post's act and the sentiment toward that mention's brand
// (BrandSentiment: differs from the post's only when the post names several brands).
//
// As an ingest::StoredPostObserver it runs inside the ingest's transaction, so a post and its mentions commit (or
// roll back) together, and a post ingested again (a duplicate) is not seen at all: re-ingesting adds nothing.
// ClassifyStoredPosts() rewrites the mentions of every stored post, for when the brands or the model changed.
//
// Thread safety: one thread (the detector and the classifier keep scratch state).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "vouch/core/run_control.h"
#include "vouch/core/status.h"
#include "vouch/ingest/post_ingester.h"
#include "vouch/listen/brand_sentiment.h"
#include "vouch/listen/classifier_model.h"
#include "vouch/listen/mention_detector.h"
#include "vouch/listen/mention_store.h"
#include "vouch/listen/post_classifier.h"
#include "vouch/store/store.h"
#include "vouch/workspace/workspace.h"

namespace vouch::listen {

struct MentionWriteRecord {
  uint64_t posts = 0;               // posts looked at
  uint64_t posts_with_mentions = 0;  // of which mentioned a brand (and were classified)
  uint64_t mentions = 0;            // rows written (new)
};

class MentionWriter final : public ingest::StoredPostObserver {
 public:
  // brands: the workspace's [[brand]] entries (InvalidArgument for a term with no token, as MentionDetector).
  // model is shared read-only; store must outlive the writer.
  static Result<std::unique_ptr<MentionWriter>> Create(const std::vector<BrandConfig>& brands,
                                                       std::shared_ptr<const ClassifierModel> model,
                                                       MentionStore& store);

  // ingest::StoredPostObserver: the post was just stored under (platform, id).
  Status OnStored(const Post& post) override;
  // The mentions of the stored post at row.
  Status WriteForRow(int64_t post_row, std::string_view text);

  const MentionWriteRecord& record() const { return record_; }

 private:
  MentionWriter(MentionDetector detector, std::shared_ptr<const ClassifierModel> model, MentionStore& store)
      : detector_(std::move(detector)), classifier_(std::move(model)), store_(store) {}
  // Fills writes_ from text; false when it mentions no brand.
  bool Classify(std::string_view text);

  MentionDetector detector_;
  PostClassifier classifier_;
  MentionStore& store_;
  std::vector<MentionWrite> writes_;
  std::vector<BrandSentimentResult> toward_;
  MentionWriteRecord record_;
};

// Deletes every stored mention and classifies every stored post again with writer, in one transaction of store
// (a reader sees the old mentions or the new ones, never half). Cancellation is polled between posts; a cancelled
// run rolls back and leaves the old mentions.
Result<MentionWriteRecord> ClassifyStoredPosts(Store& store, MentionStore& mentions, MentionWriter& writer,
                                               const RunControl& control = {});

}  // namespace vouch::listen
