#include "util/progress.h"

#include <unistd.h>

#include <cinttypes>
#include <utility>

namespace echotrace {

namespace {
std::string HumanBytes(uint64_t b) {
  char buf[32];
  if (b >= (uint64_t{1} << 30)) {
    std::snprintf(buf, sizeof buf, "%.2f GB", b / 1073741824.0);
  } else if (b >= (uint64_t{1} << 20)) {
    std::snprintf(buf, sizeof buf, "%.1f MB", b / 1048576.0);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f KB", b / 1024.0);
  }
  return buf;
}
}  // namespace

Progress::Progress(std::string label, std::string unit, uint64_t total_bytes, Mode mode,
                   std::FILE* out, std::chrono::seconds interval)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_bytes_(total_bytes),
      mode_(mode),
      out_(out),
      interval_(interval),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_) {
  if (mode_ == Mode::kAuto) {
    mode_ = (out_ != nullptr && isatty(fileno(out_))) ? Mode::kBar : Mode::kLines;
  }
  if (mode_ == Mode::kBar) interval_ = std::chrono::milliseconds(100);
}

Progress::Progress(std::string label, std::string unit, uint64_t total_bytes, Mode mode,
                   std::function<void(std::string_view)> sink, std::chrono::seconds interval)
    : Progress(std::move(label), std::move(unit), total_bytes,
               mode == Mode::kQuiet ? Mode::kQuiet : Mode::kLines, nullptr, interval) {
  sink_ = std::move(sink);
}

Progress::~Progress() { Finish(); }

std::string Progress::Line(uint64_t items, uint64_t bytes, double seconds) const {
  char buf[256];
  double rate = seconds > 0 ? items / seconds : 0;
  if (total_bytes_ > 0) {
    double frac = std::min(1.0, static_cast<double>(bytes) / total_bytes_);
    int filled = static_cast<int>(frac * 20);
    std::string bar(filled, '#');
    bar.append(20 - filled, '.');
    // Time left at the average rate so far, once there is one to speak of.
    char left[48] = "";
    if (frac > 0.001 && frac < 1 && seconds >= 1) {
      std::snprintf(left, sizeof left, ", ~%.0fs left", seconds * (1 - frac) / frac);
    }
    std::snprintf(buf, sizeof buf, "%s [%s] %3.0f%% %" PRIu64 " %s, %s of %s, %.0f %s/s, %.1fs%s",
                  label_.c_str(), bar.c_str(), frac * 100, items, unit_.c_str(),
                  HumanBytes(bytes).c_str(), HumanBytes(total_bytes_).c_str(), rate, unit_.c_str(),
                  seconds, left);
  } else {
    std::snprintf(buf, sizeof buf, "%s: %" PRIu64 " %s, %s, %.0f %s/s, %.1fs", label_.c_str(),
                  items, unit_.c_str(), HumanBytes(bytes).c_str(), rate, unit_.c_str(), seconds);
  }
  return buf;
}

void Progress::Update(uint64_t items, uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  items_ = items;
  bytes_ = bytes;
  if (mode_ == Mode::kQuiet || finished_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_print_ < interval_) return;
  last_print_ = now;
  Print(false);
}

void Progress::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  finished_ = true;
  // Only close a bar that was drawn; short work prints nothing.
  if (mode_ == Mode::kBar && printed_) Print(true);
  // A sink gets the closing figures too (a caller's progress bar ends at
  // 100%), however short the work was.
  if (sink_ && mode_ != Mode::kQuiet) Print(true);
}

void Progress::Print(bool final) {
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string line = Line(items_, bytes_, secs);
  if (sink_) {
    sink_(line);
  } else if (mode_ == Mode::kBar) {
    std::fprintf(out_, "\r\033[K%s%s", line.c_str(), final ? "\n" : "");
  } else {
    std::fprintf(out_, "%s\n", line.c_str());
  }
  if (out_ != nullptr) std::fflush(out_);
  printed_ = true;
}

}  // namespace echotrace
