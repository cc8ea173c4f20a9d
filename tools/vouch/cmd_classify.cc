// vouch classify --input POSTS.jsonl --output OUT.jsonl [--model FILE]: the act and sentiment of each post.
// The output contract (one line per readable input line, in input order) is what evaluation scripts call.
#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <memory>
#include <string>
#include <thread>

#include "command.h"
#include "vouch/listen/batch_classifier.h"
#include "vouch/listen/classifier_model.h"
#include "vouch/listen/line_block_reader.h"
#include "vouch/listen/phrase_overrides.h"
#include "vouch/listen/post_reader.h"
#include "vouch/workspace/workspace.h"

namespace vouch::cli {
namespace {

struct ClassifyOptions {
  std::string input;
  std::string output = "-";
  std::string model;
  std::string lexicon;
  std::string cues;
  std::string workspace;
  size_t threads = 0;
  bool explain = false;
};

std::string JsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"')
      out += "\\\"";
    else if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c < 0x20)
      out += fmt::format("\\u{:04x}", c);
    else
      out += ch;
  }
  return out;
}

int RunClassify(const ClassifyOptions& opts) {
  auto model = listen::ClassifierModel::Load(opts.lexicon, opts.cues, opts.model);
  if (!model.ok()) return Fail(model.status());
  // Per-brand overrides: classify knows no brand per post, so every brand's [brand.phrases] apply.
  listen::PhraseOverrides overrides;
  if (!opts.workspace.empty()) {
    const auto toml = std::filesystem::path(opts.workspace) / Workspace::kConfigFile;
    auto config = Workspace::LoadConfig(toml);
    if (!config.ok()) return Fail(config.status());
    std::vector<std::pair<std::string, std::string>> phrases;
    for (const auto& brand : config->brands)
      phrases.insert(phrases.end(), brand.phrases.begin(), brand.phrases.end());
    auto built = listen::PhraseOverrides::Create(phrases);
    if (!built.ok()) {
      return Fail(Status::InvalidArgument(
          fmt::format("{}: [brand.phrases]: {}", toml.string(), built.status().message())));
    }
    overrides = std::move(*built);
  }
  // Streams the input in blocks of whole lines: memory stays bounded on millions of posts, and each block is
  // read, classified (on all cores) and written while it is still in cache. One thread reads 2 MiB blocks (some
  // 15,000 tweets); more threads get 4 MiB each, enough 4,096-post tasks to share even when posts are long.
  const size_t cores = opts.threads != 0 ? opts.threads : std::max(1u, std::thread::hardware_concurrency());
  auto blocks =
      listen::LineBlockReader::Open(opts.input, cores == 1 ? size_t{2} << 20 : cores * (size_t{4} << 20));
  if (!blocks.ok()) return Fail(blocks.status());
  std::FILE* out = opts.output == "-" ? stdout : std::fopen(opts.output.c_str(), "wb");
  if (out == nullptr) return Fail(Status::IoError(fmt::format("{}: cannot write", opts.output)));

  size_t classified = 0;
  std::vector<listen::RejectedLine> rejects;
  listen::PostReader reader(opts.input);
  constexpr size_t kFlushBytes = 64 * 1024;
  fmt::memory_buffer out_buf;
  std::vector<listen::Classification> storage;  // one block's results, its memory reused block after block
  listen::LineBlock block;
  while (true) {
    auto more = (*blocks)->Next(block);
    if (!more.ok()) return Fail(more.status());
    if (!*more) break;
    // The block is parsed in place; the posts own copies of their texts.
    if (Status s = reader.RunOnText(block.text, block.first_line); !s.ok()) return Fail(s);
    rejects.insert(rejects.end(), reader.rejects().begin(), reader.rejects().end());
    std::vector<std::string_view> texts;
    texts.reserve(reader.posts().size());
    for (const auto& p : reader.posts()) texts.push_back(p.text);
    listen::BatchClassifier batch(*model, std::move(texts), opts.threads, opts.explain, &overrides,
                                  std::move(storage));
    if (Status s = batch.run(); !s.ok()) return Fail(s);
    const auto& results = batch.results();
    // Lines are formatted in place into one cache-sized buffer, written whenever it fills: no string per line.
    out_buf.clear();
    for (size_t i = 0; i < results.size(); ++i) {
      const auto& r = results[i];
      // FMT_COMPILE: the format is parsed once at compile time instead of once per line.
      fmt::format_to(
          std::back_inserter(out_buf),
          FMT_COMPILE(R"({{"id":{},"act":"{}","act_confidence":{:.4f},"sentiment":"{}","sentiment_score":{:.4f})"),
          reader.posts()[i].id_json, listen::ActName(r.act), r.act_confidence, listen::SentimentName(r.sentiment),
          r.sentiment_score);
      if (opts.explain) {
        fmt::format_to(std::back_inserter(out_buf), R"(,"reasons":[)");
        for (size_t k = 0; k < r.reasons.size(); ++k) {
          const auto& why = r.reasons[k];
          fmt::format_to(std::back_inserter(out_buf), R"({}{{"cue":"{}","matched":"{}","weight":{:.3f}}})",
                         k ? "," : "", JsonEscape(why.cue), JsonEscape(why.matched), why.weight);
        }
        fmt::format_to(std::back_inserter(out_buf), "]");
      }
      out_buf.append(std::string_view("}\n"));
      if (out_buf.size() >= kFlushBytes) {
        std::fwrite(out_buf.data(), 1, out_buf.size(), out);
        out_buf.clear();
      }
    }
    std::fwrite(out_buf.data(), 1, out_buf.size(), out);
    classified += results.size();
    storage = std::move(batch).TakeResults();
  }
  const bool write_failed = std::ferror(out) != 0;
  if (out != stdout) std::fclose(out);
  if (write_failed) return Fail(Status::IoError(fmt::format("{}: write failed", opts.output)));
  for (const auto& reject : rejects) {
    fmt::print(stderr, "vouch: {}:{}: {}\n", opts.input, reject.line, reject.reason);
  }
  if (!rejects.empty()) {
    fmt::print(stderr, "vouch: {} of {} lines rejected; the others were classified\n", rejects.size(),
               rejects.size() + classified);
    return kExitRejected;
  }
  return kExitOk;
}

void RegisterClassify(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("classify", "The act (endorse/complain/share/ask/other) and sentiment of each post");
  auto opts = std::make_shared<ClassifyOptions>();
  cmd->add_option("--input,-i", opts->input, "Posts, JSON Lines: one object per line with \"id\" and \"text\"")
      ->required();
  cmd->add_option("--output,-o", opts->output,
                  "Where to write one line per post, in input order: "
                  "{\"id\",\"act\",\"act_confidence\",\"sentiment\",\"sentiment_score\"} ('-': stdout)")
      ->capture_default_str();
  cmd->add_option("--model,-m", opts->model, "A model from `vouch listen train` (default: zero-shot)");
  cmd->add_option("--lexicon", opts->lexicon,
                  "VADER-format lexicon (default: $VOUCH_LEXICON, else node_modules/vader-sentiment)");
  cmd->add_option("--cues", opts->cues, "Cue book (default: $VOUCH_CUES, else src/listen/cues.txt)");
  cmd->add_option("--workspace,-w", opts->workspace,
                  "Apply the [brand.phrases] overrides of this workspace's vouch.toml (all brands')");
  cmd->add_option("--threads", opts->threads, "Worker threads (0: all cores)")->capture_default_str();
  cmd->add_flag("--explain", opts->explain, "Add \"reasons\": the cues that fired, strongest first");
  cmd->footer(
      "Exit status: 0 all posts classified; 1 error; 2 bad usage; 3 some lines were rejected (each reported on "
      "stderr as FILE:LINE: reason), the others were classified and written.");
  cmd->callback([opts] { Exit(RunClassify(*opts)); });
}

}  // namespace
VOUCH_COMMAND(40, "classify", RegisterClassify);
}  // namespace vouch::cli
