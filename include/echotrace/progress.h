// Where long work reports its progress.
#ifndef ECHOTRACE_PROGRESS_H_
#define ECHOTRACE_PROGRESS_H_

#include <functional>
#include <string_view>

namespace echotrace {

// Receives each progress line as the command line prints it on standard
// error (without the newline): "ingest [####....] 40% 80000 docs, ...",
// "neardup: candidates in 1.2 s", ... When an option of this type is empty,
// the lines go to standard error. A sink is called from the thread doing
// the work, one call at a time, at most about once a second per progress
// meter plus once per step; it must not throw. Used by IngestOptions and
// AnalyzeOptions (e.g. the Python package forwards the lines to a callback).
using ProgressSink = std::function<void(std::string_view line)>;

}  // namespace echotrace

#endif  // ECHOTRACE_PROGRESS_H_
