// Turns the in-memory demo corpus into file contents and its ground truth.
// Pure: nothing touches the disk here (demo.cc writes the files), so tests
// can check every byte without a file system.
#ifndef ECHOTRACE_DEMO_RENDER_H_
#define ECHOTRACE_DEMO_RENDER_H_

#include <string>
#include <vector>

#include "demo/corpus.h"
#include "echotrace/demo.h"

namespace echotrace::demo {

struct OutputFile {
  std::string path;  // relative to out_dir, '/' separated
  std::string bytes;
};

struct Rendered {
  std::vector<OutputFile> files;  // corpus files, then claims, then truth
  GroundTruth truth;              // what ground_truth.json holds
  DemoSummary summary;            // counts only; paths are filled by demo.cc
};

Rendered Render(const Corpus& corpus);

// The ground truth as JSON (the format ReadGroundTruth() reads).
std::string GroundTruthJson(const GroundTruth& truth);

// The pieces of the formats, exposed for tests.
std::string CsvField(const std::string& s);  // RFC 4180 quoting when needed
std::string HtmlEscape(const std::string& s, bool escape_apostrophe);

}  // namespace echotrace::demo

#endif  // ECHOTRACE_DEMO_RENDER_H_
