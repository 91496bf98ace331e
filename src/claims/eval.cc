// Runs, qrels and metrics; see eval.h for the definitions.
#include "claims/eval.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "util/json.h"

namespace echotrace::claims {

namespace {

Result<std::vector<std::vector<std::string>>> ReadFields(const std::string& path, size_t want,
                                                         const char* what) {
  std::ifstream in(path);
  if (!in) return Status::IOError(path + ": cannot open the " + what + " file");
  std::vector<std::vector<std::string>> rows;
  std::string line;
  uint64_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::istringstream ss(line);
    std::vector<std::string> f;
    std::string w;
    while (ss >> w) f.push_back(w);
    if (f.empty()) continue;
    if (f.size() != want) {
      return Status::BadInput(path + ":" + std::to_string(n) + ": a " + what + " line has " +
                              std::to_string(want) + " fields, this one has " +
                              std::to_string(f.size()));
    }
    rows.push_back(std::move(f));
  }
  return rows;
}

bool ParseDouble(const std::string& s, double* v) {
  char* e = nullptr;
  *v = std::strtod(s.c_str(), &e);
  return e != s.c_str() && *e == '\0';
}

}  // namespace

Result<Qrels> ReadQrels(const std::string& path) {
  ET_ASSIGN_OR_RETURN(auto rows, ReadFields(path, 4, "qrels"));
  Qrels q;
  for (size_t i = 0; i < rows.size(); ++i) {
    double rel = 0;
    if (!ParseDouble(rows[i][3], &rel)) {
      return Status::BadInput(path + ": relevance '" + rows[i][3] + "' is not a number");
    }
    auto& set = q[rows[i][0]];
    if (rel > 0) set.insert(rows[i][2]);
  }
  return q;
}

Result<RankedRun> ReadRun(const std::string& path) {
  ET_ASSIGN_OR_RETURN(auto rows, ReadFields(path, 6, "run"));
  std::map<std::string, std::vector<RunEntry>> by_q;
  for (auto& f : rows) {
    RunEntry e;
    double rank = 0;
    if (!ParseDouble(f[3], &rank) || !ParseDouble(f[4], &e.score)) {
      return Status::BadInput(path + ": query " + f[0] + ", document " + f[2] +
                              ": rank and score must be numbers");
    }
    e.qid = f[0];
    e.doc = f[2];
    e.rank = static_cast<int>(rank);
    by_q[e.qid].push_back(std::move(e));
  }
  RankedRun run;
  for (auto& [qid, v] : by_q) {
    std::sort(v.begin(), v.end(), [](const RunEntry& a, const RunEntry& b) {
      if (a.rank != b.rank) return a.rank < b.rank;
      if (a.score != b.score) return a.score > b.score;
      return a.doc < b.doc;
    });
    auto& out = run[qid];
    for (auto& e : v) out.push_back(e.doc);
  }
  return run;
}

std::string FormatRunLine(const std::string& qid, const std::string& doc, int rank, double score,
                          const std::string& tag) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", score);
  return qid + "\tQ0\t" + doc + "\t" + std::to_string(rank) + "\t" + buf + "\t" + tag + "\n";
}

double AveragePrecisionAt(const std::vector<std::string>& ranking,
                          const std::set<std::string>& relevant, size_t k) {
  if (relevant.empty()) return 0;
  double sum = 0;
  size_t hits = 0;
  for (size_t i = 0; i < ranking.size() && i < k; ++i) {
    if (relevant.count(ranking[i])) {
      ++hits;
      sum += static_cast<double>(hits) / static_cast<double>(i + 1);
    }
  }
  return sum / static_cast<double>(relevant.size());
}

Metrics Evaluate(const RankedRun& run, const Qrels& qrels, const std::vector<int>& recall_depths) {
  Metrics m;
  m.recall_depths = recall_depths;
  m.recall.assign(recall_depths.size(), 0.0);
  static const std::vector<std::string> kEmpty;
  for (const auto& [qid, rel] : qrels) {
    if (rel.empty()) continue;
    ++m.queries;
    auto it = run.find(qid);
    const auto& ranking = it == run.end() ? kEmpty : it->second;
    m.map1 += AveragePrecisionAt(ranking, rel, 1);
    m.map3 += AveragePrecisionAt(ranking, rel, 3);
    m.map5 += AveragePrecisionAt(ranking, rel, 5);
    for (size_t i = 0; i < ranking.size() && i < 5; ++i) {
      if (rel.count(ranking[i])) {
        m.mrr5 += 1.0 / static_cast<double>(i + 1);
        break;
      }
    }
    for (size_t d = 0; d < recall_depths.size(); ++d) {
      size_t found = 0;
      for (size_t i = 0; i < ranking.size() && i < static_cast<size_t>(recall_depths[d]); ++i) {
        found += rel.count(ranking[i]);
      }
      m.recall[d] += static_cast<double>(found) / static_cast<double>(rel.size());
    }
  }
  if (m.queries > 0) {
    double n = static_cast<double>(m.queries);
    m.map1 /= n;
    m.map3 /= n;
    m.map5 /= n;
    m.mrr5 /= n;
    for (double& r : m.recall) r /= n;
  }
  return m;
}

std::string MetricsToJson(const Metrics& m) {
  JsonWriter w;
  w.BeginObject();
  w.Key("queries").Uint(m.queries);
  w.Key("map@1").Double(m.map1);
  w.Key("map@3").Double(m.map3);
  w.Key("map@5").Double(m.map5);
  w.Key("mrr@5").Double(m.mrr5);
  for (size_t i = 0; i < m.recall_depths.size(); ++i) {
    w.Key("recall@" + std::to_string(m.recall_depths[i])).Double(m.recall[i]);
  }
  w.EndObject();
  return w.Take();
}

}  // namespace echotrace::claims
