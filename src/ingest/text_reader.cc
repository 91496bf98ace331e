// Plain text / Markdown reader: the whole input is one document.
//
// Fields, in this order: "id" = the path as given, "title" when there is
// one, "text" = the whole content (minus a leading UTF-8 byte-order mark
// and any NUL bytes, which are counted in RawRecord::nul_bytes), byte for
// byte. The title is the first non-blank line, trimmed, when it is
// shorter than 200 bytes; a Markdown ATX heading ("# Title", "## Title #")
// loses its '#' markers. A longer first line is body text, so there is no
// title. An input larger than max_record_bytes is one Reject (line 0) and
// is not held in memory beyond that limit.
#include <utility>

#include "ingest/readers.h"

namespace echotrace {

namespace {

constexpr size_t kMaxTitleBytes = 200;

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n\f\v");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n\f\v");
  return s.substr(b, e - b + 1);
}

class TextReader final : public RecordReader {
 public:
  TextReader(std::unique_ptr<BufferedInput> in, const ReaderOptions& options)
      : in_(std::move(in)), max_bytes_(options.max_record_bytes) {}

  Result<ReadOutcome> Next(RawRecord* record, Reject* reject) override {
    if (done_) return ReadOutcome::kEnd;
    done_ = true;
    std::string text;
    ET_ASSIGN_OR_RETURN(bool complete, ReadAll(in_.get(), max_bytes_, &text));
    if (!complete) {
      SetReject(reject, in_->name(), 0,
                "file larger than " + std::to_string(max_bytes_) +
                    " bytes (max_record_bytes); one text file is one document",
                text);
      return ReadOutcome::kReject;
    }
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
    const uint32_t nuls = StripNul(&text);
    record->fields.clear();
    record->nul_bytes = nuls;
    record->file = in_->name();
    record->line = 1;
    record->fields.emplace_back("id", in_->name());
    std::string title = TextTitle(text);
    if (!title.empty()) record->fields.emplace_back("title", std::move(title));
    record->fields.emplace_back("text", std::move(text));
    return ReadOutcome::kRecord;
  }
  uint64_t bytes_read() const override { return in_->consumed(); }

 private:
  std::unique_ptr<BufferedInput> in_;
  size_t max_bytes_;
  bool done_ = false;
};

}  // namespace

std::string TextTitle(std::string_view text) {
  size_t pos = 0;
  std::string_view line;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    line = Trim(text.substr(pos, nl - pos));
    if (!line.empty()) break;
    pos = nl + 1;
  }
  if (line.empty() || line.size() >= kMaxTitleBytes) return "";
  size_t hashes = line.find_first_not_of('#');
  if (hashes >= 1 && hashes <= 6 && hashes < line.size() &&
      (line[hashes] == ' ' || line[hashes] == '\t')) {
    line = Trim(line.substr(hashes));
    size_t end = line.find_last_not_of('#');  // closing sequence "## Title ##"
    if (end != std::string_view::npos && end + 1 < line.size() &&
        (line[end] == ' ' || line[end] == '\t')) {
      line = Trim(line.substr(0, end + 1));
    }
  }
  return std::string(line);
}

std::unique_ptr<RecordReader> MakeTextReader(std::unique_ptr<BufferedInput> in,
                                             const ReaderOptions& options) {
  return std::make_unique<TextReader>(std::move(in), options);
}

}  // namespace echotrace
