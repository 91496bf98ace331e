// The verbs of the command line. Each parses nothing (main.cc does), calls
// the library and prints; each returns the Status that becomes the exit code.
#ifndef ECHOTRACE_APPS_COMMANDS_H_
#define ECHOTRACE_APPS_COMMANDS_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "echotrace/analyze.h"
#include "echotrace/status.h"

namespace echotrace::cli {

struct Options {
  std::string db;
  std::string format = "auto";
  std::vector<std::string> map;
  std::vector<std::string> columns;
  std::string source;
  std::string time;  // ingest --time
  bool strict = false;
  bool check = false;
  int threads = 0;
  size_t batch = 16384;
  bool json = false;
  bool quiet = false;
  std::vector<std::string> paths;
  int k = 10;
  std::string query;
  int limit = 20;          // show --limit
  int trace_limit = 5000;  // trace --limit (its own: CLI11 writes defaults at declaration)
  std::string trace_format = "text";  // trace --format
  int evidence = 3;
  double min_coverage = 0.5;
  int64_t id = 0;
  // analyze: the flags map straight onto the library's options (whose
  // values are the defaults); --full sets both detectors' `full`.
  AnalyzeOptions analyze;
  bool full = false;
  std::string what = "neardup";
  std::string export_format = "csv";  // apart from --format of ingest: CLI11
                                      // writes defaults when options are declared
  std::string out_file;
  std::string out_dir = "echotrace-demo";
  uint64_t seed = 20261125;
  const std::atomic<bool>* cancel = nullptr;
};

Status RunIngest(const Options& o);
Status RunStats(const Options& o);
Status RunTrace(const Options& o);
Status RunShow(const Options& o);
Status RunAnalyze(const Options& o);
Status RunExport(const Options& o);
Status RunDemo(const Options& o);

}  // namespace echotrace::cli

#endif  // ECHOTRACE_APPS_COMMANDS_H_
