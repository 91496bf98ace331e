// `echotrace compare`: scores pairs of texts from a file (issue 14). Flags
// in, library calls (src/similarity/compare.h), a Status out.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>

#include "similarity/compare.h"
#include "util/json.h"
#include "verbs.h"

namespace echotrace::cli {

namespace {

struct CompareFlags {
  std::string input = "-", out, format = "auto", vectors;
  bool json = false, explain = false, strict = false, no_vectors = false;
};

Result<std::string> ReadInput(const std::string& path) {
  std::stringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open the pairs file");
  ss << in.rdbuf();
  if (in.bad()) return Status::IOError(path + ": read error");
  return ss.str();
}

// The model's logit: its bias and each feature's contribution, largest
// first (ties in the model's order).
std::vector<SignalContribution> SortedContributions(const SimilaritySignals& s) {
  std::vector<SignalContribution> c = ExplainSameClaim(s);
  std::stable_sort(c.begin(), c.end(), [](const auto& x, const auto& y) {
    return std::fabs(x.contribution) > std::fabs(y.contribution);
  });
  return c;
}

std::string Explain(const SimilaritySignals& s) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "words=%.4f chars=%.4f lsa=%.4f names=%.4f numbers=%.4f tag_or_link=%d", s.words,
                s.chars, s.lsa, s.names, s.numbers, s.tag_or_link ? 1 : 0);
  std::string out = buf;
  if (s.has_vectors) {
    std::snprintf(buf, sizeof buf, " sif=%.4f usif=%.4f align=%.4f", s.sif, s.usif, s.align);
    out += buf;
  }
  std::snprintf(buf, sizeof buf, " length_ratio=%.4f\tlogit=%+.3f:", s.length_ratio,
                std::log(std::clamp(s.probability, 1e-15, 1 - 1e-15) /
                         (1 - std::clamp(s.probability, 1e-15, 1 - 1e-15))));
  out += buf;
  std::vector<SignalContribution> c = SortedContributions(s);
  for (size_t i = 0; i < c.size() && i < 8; ++i) {
    std::snprintf(buf, sizeof buf, " %s%+.3f", c[i].feature.c_str(), c[i].contribution);
    out += buf;
  }
  out += "\tshared:";
  for (const std::string& t : s.shared_terms) out += " " + t;
  for (const std::string& e : s.shared_entities) out += " " + e;
  return out;
}

std::string JsonLine(uint64_t line, const SimilaritySignals& s, bool explain) {
  JsonWriter w;
  w.BeginObject().Key("line").Uint(line).Key("score").Double(s.probability);
  if (explain) {
    w.Key("words").Double(s.words).Key("chars").Double(s.chars).Key("lsa").Double(s.lsa);
    w.Key("names").Double(s.names).Key("numbers").Double(s.numbers);
    w.Key("tag_or_link").Bool(s.tag_or_link);
    if (s.has_vectors) {
      w.Key("sif").Double(s.sif).Key("usif").Double(s.usif).Key("align").Double(s.align);
    }
    w.Key("length_ratio").Double(s.length_ratio);
    w.Key("model").String(SameClaimModelVersion());
    w.Key("contributions").BeginArray();
    for (const SignalContribution& c : SortedContributions(s)) {
      w.BeginObject().Key("feature").String(c.feature).Key("value").Double(c.value);
      w.Key("contribution").Double(c.contribution).EndObject();
    }
    w.EndArray();
    w.Key("shared_terms").BeginArray();
    for (const std::string& t : s.shared_terms) w.String(t);
    w.EndArray().Key("shared_entities").BeginArray();
    for (const std::string& e : s.shared_entities) w.String(e);
    w.EndArray();
  }
  w.EndObject();
  return w.Take();
}

Status RunCompare(const CompareFlags& f) {
  ET_ASSIGN_OR_RETURN(PairFormat format, ParsePairFormat(f.format));
  const std::string name = f.input == "-" ? "<stdin>" : f.input;
  ET_ASSIGN_OR_RETURN(std::string content, ReadInput(f.input));
  PairsRead read = ParsePairs(content, format);
  if (f.strict && !read.rejects.empty()) {
    const PairReject& r = read.rejects.front();
    return Status::BadInput(name + ":" + std::to_string(r.line) + ": " + r.reason +
                            " (--strict stops at the first bad line)");
  }
  size_t shown = 0;
  for (const PairReject& r : read.rejects) {
    if (++shown > 20) break;
    std::fprintf(stderr, "compare: skipped %s:%llu: %s\n", name.c_str(),
                 static_cast<unsigned long long>(r.line), r.reason.c_str());
  }
  if (read.rejects.size() > 20) {
    std::fprintf(stderr, "compare: ... and %zu more skipped lines\n", read.rejects.size() - 20);
  }
  if (read.pairs.empty()) {
    return Status::BadInput(name + ": no pair of texts read (" +
                            std::to_string(read.rejects.size()) +
                            " bad lines); expected 'a<TAB>b' lines or {\"a\":...,\"b\":...} JSONL");
  }
  SimilarityOptions options;
  if (!f.no_vectors) {
    ET_ASSIGN_OR_RETURN(options.word_vectors, LoadWordVectors(f.vectors));
  }
  ET_ASSIGN_OR_RETURN(std::vector<SimilaritySignals> scores, ComparePairs(read.pairs, options));
  FILE* out = stdout;
  std::unique_ptr<FILE, int (*)(FILE*)> file(nullptr, &std::fclose);
  if (!f.out.empty() && f.out != "-") {
    file.reset(std::fopen(f.out.c_str(), "w"));
    if (!file) return Status::IOError(f.out + ": cannot open for writing");
    out = file.get();
  }
  for (size_t i = 0; i < scores.size(); ++i) {
    if (f.json) {
      std::fprintf(out, "%s\n", JsonLine(read.pairs[i].line, scores[i], f.explain).c_str());
    } else if (f.explain) {
      std::fprintf(out, "%.6f\t%s\n", scores[i].probability, Explain(scores[i]).c_str());
    } else {
      std::fprintf(out, "%.6f\n", scores[i].probability);
    }
  }
  if (std::ferror(out) != 0 || std::fflush(out) != 0) {
    return Status::IOError((f.out.empty() ? std::string("standard output") : f.out) +
                           ": write error (disk full?)");
  }
  return Status::OK();
}

}  // namespace

void AddCompareVerbs(CLI::App& app, std::vector<Verb>& verbs, const std::atomic<bool>* /*cancel*/) {
  auto f = std::make_shared<CompareFlags>();
  CLI::App* c = app.add_subcommand(
      "compare",
      "Score pairs of texts: one score per pair, in input order. Input: TSV 'a<TAB>b' or "
      "JSONL {\"a\":...,\"b\":...}. The model (idf, LSA, sentence-vector components) is fitted "
      "on the input's own texts. The score is the calibrated probability that the two texts "
      "make the same claim (docs/similarity.md), from the lexical signals and, with word "
      "vectors (default), the semantic ones.");
  c->add_option("input", f->input, "pairs file, or - for standard input")->default_val("-");
  c->add_option("--format", f->format, "auto, tsv or jsonl")->default_val("auto");
  c->add_flag("--json", f->json, "one JSON object per pair: {\"line\":N,\"score\":...}");
  c->add_flag("--explain", f->explain,
              "add every signal, each one's contribution to the probability's logit, and the "
              "shared words and entities");
  c->add_flag("--strict", f->strict, "stop at the first bad line (exit code 2)");
  c->add_option("--vectors", f->vectors,
                "word vectors file (default: $ECHOTRACE_VECTORS, next to the binary, the build "
                "folder)");
  c->add_flag("--no-vectors", f->no_vectors, "lexical signals only (no word vectors needed)");
  c->add_option("-o,--out", f->out, "output file (default: standard output)");
  verbs.push_back({c, [f] { return RunCompare(*f); }, false});
}

}  // namespace echotrace::cli
