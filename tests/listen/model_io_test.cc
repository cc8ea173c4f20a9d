// CueBook parsing, PostReader, the phrase automaton, and training a LinearModel end to end.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "vouch/listen/classifier_model.h"
#include "vouch/listen/cue_book.h"
#include "vouch/listen/linear_model.h"
#include "vouch/listen/model_trainer.h"
#include "vouch/listen/phrase_automaton.h"
#include "vouch/listen/post_classifier.h"
#include "vouch/listen/post_reader.h"

namespace vouch::listen {
namespace {

TEST(CueBookTest, ParsesFamiliesSignalsAndSettings) {
  auto book = CueBook::Parse(
      "# comment\n[settings]\npositive_above = 0.3\n[family failure]\nsentiment = -1.5\ncomplain = 1\n"
      "scope = own\ndelay*\non hold\n#fail\n[signal question]\nask = 2\n",
      "test.txt");
  ASSERT_TRUE(book.ok()) << book.status().ToString();
  ASSERT_EQ(book->families().size(), 1u);
  const CueFamily& f = book->families()[0];
  EXPECT_EQ(f.name, "failure");
  EXPECT_FLOAT_EQ(f.weights[0], -1.5f);
  EXPECT_FLOAT_EQ(f.weights[1 + static_cast<size_t>(Act::kComplain)], 1.0f);
  EXPECT_TRUE(f.own_words);
  EXPECT_EQ(f.terms, (std::vector<std::string>{"delay*", "on hold", "#fail"}));
  EXPECT_FLOAT_EQ(book->SignalWeights("question")[1 + static_cast<size_t>(Act::kAsk)], 2.0f);
  EXPECT_FLOAT_EQ(book->Setting("positive_above", 0), 0.3f);
}

TEST(CueBookTest, ErrorsNameFileAndLine) {
  auto bad = CueBook::Parse("[family x]\nendorse = lots\n", "cues.txt");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("cues.txt:2"), std::string::npos) << bad.status().message();
  auto unknown = CueBook::Parse("[family x]\nhappiness = 1\n", "cues.txt");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("cues.txt:2"), std::string::npos);
  EXPECT_FALSE(CueBook::Parse("orphan term\n", "cues.txt").ok());
}

TEST(PhraseAutomatonTest, FindsOverlappingAndNestedPhrases) {
  PhraseAutomaton automaton;
  const uint32_t ab = automaton.Add({1, 2});
  const uint32_t b = automaton.Add({2});
  const uint32_t bcd = automaton.Add({2, 3, 4});
  automaton.Build();
  const std::vector<uint32_t> text = {1, 2, 3, 4, 2};
  std::vector<PhraseAutomaton::Match> found;
  automaton.MatchAll(
      text.size(), [&text](size_t i) { return text[i]; }, found);
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].pattern, ab);
  EXPECT_EQ(found[0].first, 0u);
  EXPECT_EQ(found[1].pattern, b);
  EXPECT_EQ(found[2].pattern, bcd);
  EXPECT_EQ(found[2].first, 1u);
  EXPECT_EQ(found[2].last, 3u);
  EXPECT_EQ(found[3].pattern, b);
  EXPECT_EQ(found[3].first, 4u);
}

TEST(PostReaderTest, EchoesIdsAndRejectsBadLinesWithTheirNumbers) {
  PostReader reader("posts.jsonl");
  ASSERT_TRUE(reader
                  .RunOnText("{\"id\": \"a1\", \"text\": \"hi \\\"you\\\"\", \"lang\": \"en\"}\n"
                             "{\"id\": 42, \"text\": \"x\", \"act\": \"ask\", \"sentiment\": null}\n"
                             "\n"
                             "{\"text\": \"no id\"}\n"
                             "not json\n"
                             "{\"id\": 7, \"text\": 5}\n"
                             "{\"id\": 1.5, \"text\": \"x\"}\n"
                             "{\"id\": \"b\", \"text\": \"y\", \"act\": \"praise\"}\n")
                  .ok());
  ASSERT_EQ(reader.posts().size(), 2u);
  EXPECT_EQ(reader.posts()[0].id_json, "\"a1\"");
  EXPECT_EQ(reader.posts()[0].text, "hi \"you\"");
  EXPECT_EQ(reader.posts()[1].id_json, "42");
  EXPECT_EQ(reader.posts()[1].act, Act::kAsk);
  EXPECT_FALSE(reader.posts()[1].sentiment.has_value());
  ASSERT_EQ(reader.rejects().size(), 5u);
  EXPECT_EQ(reader.rejects()[0].line, 4u);
  EXPECT_NE(reader.rejects()[0].reason.find("'id'"), std::string::npos);
  EXPECT_EQ(reader.rejects()[1].line, 5u);
  EXPECT_EQ(reader.rejects()[2].line, 6u);
  EXPECT_EQ(reader.rejects()[3].line, 7u);
  EXPECT_EQ(reader.rejects()[4].line, 8u);
}

TEST(ModelTrainerTest, LearnsTheUsersLabelsAndSurvivesASaveAndLoad) {
  auto base = ClassifierModel::Load("", "", "");
  ASSERT_TRUE(base.ok()) << base.status().ToString();
  // A domain the cue book knows nothing about: "zorp" is this user's word for a complaint, "flim" for praise.
  std::vector<InputPost> posts;
  for (int i = 0; i < 40; ++i) {
    InputPost complaint;
    complaint.text = "the widget " + std::to_string(i) + " went zorp";
    complaint.act = Act::kComplain;
    complaint.sentiment = Sentiment::kNegative;
    InputPost praise;
    praise.text = "the widget " + std::to_string(i) + " went flim";
    praise.act = Act::kEndorse;
    praise.sentiment = Sentiment::kPositive;
    posts.push_back(complaint);
    posts.push_back(praise);
  }
  ModelTrainer trainer(*base, posts, TrainOptions{.buckets = 1u << 12, .epochs = 8});
  ASSERT_TRUE(trainer.run().ok());
  EXPECT_EQ(trainer.record().act_examples, 80u);
  EXPECT_LT(trainer.record().act_loss.back(), trainer.record().act_loss.front());

  const auto file = std::filesystem::temp_directory_path() / "vouch_listen_model_test.txt";
  ASSERT_TRUE(trainer.model().Save(file).ok());
  auto loaded = ClassifierModel::Load("", "", file.string());
  std::filesystem::remove(file);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  PostClassifier classifier(*loaded);
  const auto zorp = classifier.Classify("my widget went zorp today");
  const auto flim = classifier.Classify("my widget went flim today");
  EXPECT_EQ(zorp.act, Act::kComplain);
  EXPECT_EQ(zorp.sentiment, Sentiment::kNegative);
  EXPECT_EQ(flim.act, Act::kEndorse);
  EXPECT_EQ(flim.sentiment, Sentiment::kPositive);
}

TEST(ModelTrainerTest, RefusesAFileWithoutLabels) {
  auto base = ClassifierModel::Load("", "", "");
  ASSERT_TRUE(base.ok());
  std::vector<InputPost> posts(3);
  ModelTrainer trainer(*base, posts);
  EXPECT_EQ(trainer.run().code(), StatusCode::kInvalidArgument);
}

TEST(LinearModelTest, LoadRejectsOtherFilesWithTheirLine) {
  const auto file = std::filesystem::temp_directory_path() / "vouch_listen_not_a_model.txt";
  {
    std::ofstream out(file);
    out << "vouch-listen-model 1\nbuckets 16\ndense 1 a\nhead act 2 x y\nbias 0 zero\n";
  }
  auto loaded = LinearModel::Load(file);
  std::filesystem::remove(file);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find(":5:"), std::string::npos) << loaded.status().message();
}

}  // namespace
}  // namespace vouch::listen
