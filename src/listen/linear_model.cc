#include "vouch/listen/linear_model.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <sstream>

namespace vouch::listen {

void LinearModel::Scores(const Head& head, size_t dense_size, const std::vector<float>& dense,
                         const std::vector<uint32_t>& buckets, float* out) {
  const size_t c = head.labels.size();
  for (size_t k = 0; k < c; ++k) out[k] = head.bias[k];
  for (size_t i = 0; i < dense_size && i < dense.size(); ++i) {
    if (dense[i] == 0) continue;
    const float* w = &head.dense[i * c];
    for (size_t k = 0; k < c; ++k) out[k] += w[k] * dense[i];
  }
  for (const uint32_t b : buckets) {
    const float* w = &head.sparse[size_t{b} * c];
    for (size_t k = 0; k < c; ++k) out[k] += w[k];
  }
}

Status LinearModel::Save(const std::filesystem::path& file) const {
  std::ofstream out(file, std::ios::trunc);
  if (!out) return Status::IoError(fmt::format("{}: cannot write model", file.string()));
  out << "vouch-listen-model 1\n";
  out << "buckets " << buckets_ << "\n";
  out << "dense " << dense_names_.size();
  for (const auto& n : dense_names_) out << ' ' << n;
  out << "\n";
  auto write_head = [&](const char* name, const Head& h) {
    const size_t c = h.labels.size();
    out << "head " << name << ' ' << c;
    for (const auto& l : h.labels) out << ' ' << l;
    out << "\n";
    out << "bias";
    for (const float b : h.bias) out << ' ' << b;
    out << "\n";
    for (size_t i = 0; i < dense_names_.size(); ++i) {
      for (size_t k = 0; k < c; ++k) out << (k ? " " : "") << h.dense[i * c + k];
      out << "\n";
    }
    size_t nonzero = 0;
    for (size_t b = 0; b < buckets_; ++b) {
      for (size_t k = 0; k < c; ++k) {
        if (h.sparse[b * c + k] != 0) {
          ++nonzero;
          break;
        }
      }
    }
    out << "sparse " << nonzero << "\n";
    for (size_t b = 0; b < buckets_; ++b) {
      bool any = false;
      for (size_t k = 0; k < c; ++k) any |= h.sparse[b * c + k] != 0;
      if (!any) continue;
      out << b;
      for (size_t k = 0; k < c; ++k) out << ' ' << h.sparse[b * c + k];
      out << "\n";
    }
  };
  out.precision(6);
  if (act_) write_head("act", *act_);
  if (sentiment_) write_head("sentiment", *sentiment_);
  out.flush();
  if (!out) return Status::IoError(fmt::format("{}: write failed", file.string()));
  return Status::Ok();
}

Result<LinearModel> LinearModel::Load(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return Status::IoError(fmt::format("{}: cannot open model", file.string()));
  size_t line_no = 0;
  std::string line;
  auto next = [&](std::istringstream& fields) -> bool {
    if (!std::getline(in, line)) return false;
    ++line_no;
    fields.clear();
    fields.str(line);
    return true;
  };
  auto bad = [&](std::string_view what) {
    return Status::InvalidArgument(
        fmt::format("{}:{}: not a vouch listen model: {}", file.string(), line_no, what));
  };
  std::istringstream f;
  std::string word;
  int version = 0;
  if (!next(f) || !(f >> word >> version) || word != "vouch-listen-model" || version != 1) {
    return bad("expected 'vouch-listen-model 1'");
  }
  uint32_t buckets = 0;
  if (!next(f) || !(f >> word >> buckets) || word != "buckets" || buckets == 0 || buckets > (1u << 26)) {
    return bad("expected 'buckets N'");
  }
  size_t dense = 0;
  if (!next(f) || !(f >> word >> dense) || word != "dense" || dense > 100000) return bad("expected 'dense D ...'");
  std::vector<std::string> names(dense);
  for (auto& n : names) {
    if (!(f >> n)) return bad("fewer dense names than announced");
  }
  LinearModel model(buckets, std::move(names));
  while (next(f)) {
    if (line.empty()) continue;
    std::string head_name;
    size_t c = 0;
    if (!(f >> word >> head_name >> c) || word != "head" || c < 2 || c > 64)
      return bad("expected 'head NAME C ...'");
    Head h;
    h.labels.resize(c);
    for (auto& l : h.labels) {
      if (!(f >> l)) return bad("fewer labels than announced");
    }
    h.bias.resize(c);
    if (!next(f) || !(f >> word) || word != "bias") return bad("expected 'bias ...'");
    for (auto& b : h.bias) {
      if (!(f >> b)) return bad("short bias line");
    }
    h.dense.resize(dense * c);
    for (size_t i = 0; i < dense; ++i) {
      if (!next(f)) return bad("missing dense weights");
      for (size_t k = 0; k < c; ++k) {
        if (!(f >> h.dense[i * c + k])) return bad("short dense weight line");
      }
    }
    size_t nonzero = 0;
    if (!next(f) || !(f >> word >> nonzero) || word != "sparse") return bad("expected 'sparse K'");
    h.sparse.assign(size_t{buckets} * c, 0.0f);
    for (size_t j = 0; j < nonzero; ++j) {
      uint32_t b = 0;
      if (!next(f) || !(f >> b) || b >= buckets) return bad("bad sparse row");
      for (size_t k = 0; k < c; ++k) {
        if (!(f >> h.sparse[size_t{b} * c + k])) return bad("short sparse row");
      }
    }
    if (head_name == "act")
      model.act_ = std::move(h);
    else if (head_name == "sentiment")
      model.sentiment_ = std::move(h);
    else
      return bad(fmt::format("unknown head '{}'", head_name));
  }
  if (!model.act_ && !model.sentiment_) return bad("no head");
  return model;
}

}  // namespace vouch::listen
