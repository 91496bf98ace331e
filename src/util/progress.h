// Progress reporting on stderr for long work.
//
// When the stream is a terminal, a one-line bar redrawn in place at most ten
// times a second; otherwise a plain line every `interval` seconds, so logs of
// batch jobs stay readable. Quiet mode prints nothing.
#ifndef ECHOTRACE_UTIL_PROGRESS_H_
#define ECHOTRACE_UTIL_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace echotrace {

class Progress {
 public:
  enum class Mode { kAuto, kBar, kLines, kQuiet };

  // `label` names the work ("ingest"); `unit` the counted thing ("docs").
  // `total_bytes` of 0 means unknown. `out` is not owned. Thread-safe.
  Progress(std::string label, std::string unit, uint64_t total_bytes, Mode mode = Mode::kAuto,
           std::FILE* out = stderr, std::chrono::seconds interval = std::chrono::seconds(5));
  // Lines go to `sink` (one call per line, no newline) instead of a stream:
  // kAuto then means kLines, every `interval`.
  Progress(std::string label, std::string unit, uint64_t total_bytes, Mode mode,
           std::function<void(std::string_view)> sink, std::chrono::seconds interval);
  ~Progress();  // calls Finish()

  // Reports that `items` have been done and `bytes` of the input consumed.
  void Update(uint64_t items, uint64_t bytes);
  // Prints the final line (terminal: ends the bar with a newline). Idempotent.
  void Finish();

  // The text of the status line for the given figures (without "\r"/"\n");
  // exposed for tests.
  std::string Line(uint64_t items, uint64_t bytes, double seconds) const;

 private:
  void Print(bool final);

  std::string label_;
  std::string unit_;
  uint64_t total_bytes_;
  Mode mode_;
  std::FILE* out_;
  std::function<void(std::string_view)> sink_;
  std::chrono::steady_clock::duration interval_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_print_;
  uint64_t items_ = 0;
  uint64_t bytes_ = 0;
  bool finished_ = false;
  bool printed_ = false;
  std::mutex mu_;
};

}  // namespace echotrace

#endif  // ECHOTRACE_UTIL_PROGRESS_H_
