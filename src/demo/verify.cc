#include "demo/verify.h"

#include <map>
#include <optional>

namespace echotrace {

namespace {

class Checker {
 public:
  Checker(Store* store, DemoIngestCheck* out) : store_(store), out_(out) {}

  Status Check(const DemoSpan& span) {
    out_->spans++;
    auto it = cache_.find(span.doc);
    if (it == cache_.end()) {
      ET_ASSIGN_OR_RETURN(auto doc, store_->GetDocumentByExtId(span.doc));
      std::optional<std::string> text;
      if (doc) text = std::move(doc->text);
      it = cache_.emplace(span.doc, std::move(text)).first;
    }
    if (!it->second) {
      out_->docs_missing++;
      Note(span.doc + ": not in the store");
      return Status::OK();
    }
    const std::string& text = *it->second;
    if (span.end <= text.size() && span.start <= span.end &&
        text.compare(span.start, span.end - span.start, span.text) == 0) {
      out_->spans_at_offset++;
    } else {
      Note(span.doc + ": [" + std::to_string(span.start) + "," + std::to_string(span.end) +
           ") does not hold the planted text");
    }
    return Status::OK();
  }

 private:
  void Note(std::string s) {
    if (out_->examples.size() < 5) out_->examples.push_back(std::move(s));
  }
  Store* store_;
  DemoIngestCheck* out_;
  std::map<std::string, std::optional<std::string>> cache_;
};

}  // namespace

Result<DemoIngestCheck> CheckIngestedDemo(Store* store, const GroundTruth& truth) {
  DemoIngestCheck out;
  Checker checker(store, &out);
  for (const DemoPassage& p : truth.passages) {
    for (const DemoSpan& s : p.occurrences) ET_RETURN_IF_ERROR(checker.Check(s));
  }
  for (const DemoTalkingPoint& t : truth.talking_points) {
    for (const DemoSpan& s : t.mentions) ET_RETURN_IF_ERROR(checker.Check(s));
  }
  return out;
}

}  // namespace echotrace
