// The run lifecycle every detector shares (detector.h).
#include "analyze/detector.h"

#include <cstdarg>
#include <cstdio>
#include <string>

namespace echotrace {

Status DetectorContext::CheckCancelled() const {
  if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
    return Status::Cancelled("analysis interrupted; the previous results are intact");
  }
  return Status::OK();
}

void DetectorContext::Say(const char* format, ...) const {
  if (!progress) return;
  char buf[1024];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buf, sizeof buf, format, args);
  va_end(args);
  if (on_progress) {
    on_progress(buf);
  } else {
    std::fprintf(stderr, "%s\n", buf);
  }
}

void StepTimer::Lap(const char* what) {
  const auto now = std::chrono::steady_clock::now();
  ctx_->Say("%s: %s in %.1f s", name_, what, std::chrono::duration<double>(now - last_).count());
  last_ = now;
}

Status RunDetector(const std::string& name, Detector& detector, const DetectorContext& ctx,
                   StageSummary* summary) {
  const auto t0 = std::chrono::steady_clock::now();
  summary->detector = name;
  ET_RETURN_IF_ERROR(ctx.CheckCancelled());
  ET_ASSIGN_OR_RETURN(RunPlan plan, detector.Plan(ctx));
  ET_ASSIGN_OR_RETURN(int64_t run_id, ctx.store->BeginRun(plan.kind, plan.params));
  summary->run_id = run_id;
  Result<std::string> figures = detector.Execute(ctx, plan, run_id);
  summary->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!figures.ok()) {
    const bool cancelled = figures.status().code() == StatusCode::kCancelled;
    // The detector's error is the one to report.
    ctx.store->EndRun(run_id, cancelled ? "interrupted" : "failed", "{}").ok();
    return figures.status();
  }
  summary->figures_json = *figures;
  summary->headline = detector.Headline(*figures);
  return ctx.store->EndRun(run_id, "ok", *figures);
}

std::string Thousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

}  // namespace echotrace
