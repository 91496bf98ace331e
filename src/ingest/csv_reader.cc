// CSV (RFC 4180) and TSV reader, streaming, written for speed.
//
// Parsing. ParseCsvRecord works on the bytes at the front of the buffer and
// either returns one whole record or asks for more input; nothing is
// consumed until a record is complete, so a record split across reads is
// simply parsed again once the buffer has grown (the buffer at least
// doubles each time, which keeps re-parsing linear). Fields are found with
// memchr for the delimiter inside the current line and copied in bulk;
// quoted fields are scanned with memchr for '"'.
//
// The dialect, the same for CSV (',') and TSV ('\t'):
//  * Records end with LF or CRLF. A '\r' is stripped only before '\n'.
//  * A field is quoted only when its first byte is '"'. Inside it the
//    delimiter and line breaks are data and '""' is one '"'. A '"' anywhere
//    else in a field is an ordinary character (so `5" screen` is kept).
//  * A quoted field must be followed by the delimiter or the line end. If it
//    is not (`"Yes" he said,x`), the quotes were not CSV quoting: the field is
//    re-read as plain text from its first byte to the next delimiter or line
//    end. TSV files written by hand, like the CheckThat tweets, need this.
//  * A quote left open at the end of input is a reject for the record's
//    first line; reading resumes on the next line.
//  * TSV only: when those rules give a row the wrong number of fields (or
//    leave a quote open) but its first line split on tabs, quotes ignored,
//    gives the right number, that split is used: many TSV files (the MSR
//    paraphrase corpus, STS) never quote and start texts with '"'.
//  * A UTF-8 byte-order mark at the start is dropped. Blank lines are
//    skipped. Classic-Mac '\r'-only line ends are not supported.
//
// Header. Without ReaderOptions::columns the first record is the header:
// names are trimmed of ASCII white space, an empty name becomes colN (N is
// the 1-based column) and a repeated name gets _2, _3, ... With columns, the
// first record is data unless it equals the columns exactly.
//
// Rejects. A record whose field count differs from the header's, one longer
// than max_record_bytes (dropped up to the end of its first line, without
// buffering it), and an unterminated quote each give one Reject; `line` is
// the line where the record starts.
#include <algorithm>
#include <cstring>
#include <set>
#include <utility>

#include "ingest/readers.h"

namespace echotrace {

namespace {

// Position of the next '\n' at or after `from`, or npos.
size_t FindNewline(const char* p, size_t from, size_t size) {
  const void* nl = std::memchr(p + from, '\n', size - from);
  return nl ? static_cast<size_t>(static_cast<const char*>(nl) - p) : std::string_view::npos;
}

// End of the field that starts at `pos` and runs to the delimiter or `le`.
size_t FieldEnd(const char* p, size_t pos, size_t le, char delimiter) {
  const void* d = std::memchr(p + pos, delimiter, le - pos);
  return d ? static_cast<size_t>(static_cast<const char*>(d) - p) : le;
}

// Copies [pos, end) to `cell`, dropping a '\r' that precedes the line end.
void AssignPlain(const char* p, size_t pos, size_t end, size_t le, std::string* cell) {
  size_t e = end;
  if (e == le && e > pos && p[e - 1] == '\r') --e;
  cell->assign(p + pos, e - pos);
}

}  // namespace

CsvParse ParseCsvRecord(std::string_view data, bool eof, char delimiter, CsvCells* cells,
                        size_t* consumed) {
  const char* p = data.data();
  const size_t size = data.size();
  cells->n = 0;
  size_t pos = 0;
  size_t le = 0;  // end of the current line: index of its '\n', or size at eof
  bool le_valid = false;
  auto find_line_end = [&](size_t from) {
    size_t nl = FindNewline(p, from, size);
    if (nl == std::string_view::npos) {
      if (!eof) return false;
      nl = size;
    }
    le = nl;
    le_valid = true;
    return true;
  };

  for (;;) {
    std::string& cell = cells->Add();
    if (pos < size && p[pos] == '"') {
      size_t q = pos + 1;
      cell.clear();
      for (;;) {  // scan the quoted part
        const void* hit = std::memchr(p + q, '"', size - q);
        if (hit == nullptr) return eof ? CsvParse::kUnterminatedQuote : CsvParse::kNeedMore;
        size_t h = static_cast<size_t>(static_cast<const char*>(hit) - p);
        cell.append(p + q, h - q);
        if (h + 1 == size && !eof) return CsvParse::kNeedMore;  // '"' or '""'?
        if (h + 1 < size && p[h + 1] == '"') {
          cell.push_back('"');
          q = h + 2;
          continue;
        }
        q = h + 1;
        break;
      }
      if ((!le_valid || le < q) && !find_line_end(q)) return CsvParse::kNeedMore;
      const bool at_line_end = q == le || (p[q] == '\r' && q + 1 == le);
      if (at_line_end || p[q] == delimiter) {
        pos = at_line_end ? le : q;
      } else {
        // Not CSV quoting after all: re-read the field as plain text.
        if (!find_line_end(pos)) return CsvParse::kNeedMore;
        size_t end = FieldEnd(p, pos, le, delimiter);
        AssignPlain(p, pos, end, le, &cell);
        pos = end;
      }
    } else {
      if ((!le_valid || le < pos) && !find_line_end(pos)) return CsvParse::kNeedMore;
      size_t end = FieldEnd(p, pos, le, delimiter);
      AssignPlain(p, pos, end, le, &cell);
      pos = end;
    }
    if (pos < le && p[pos] == delimiter) {
      ++pos;
      continue;
    }
    *consumed = le < size ? le + 1 : size;
    return CsvParse::kRecord;
  }
}

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string Trim(std::string_view s) {
  const char* ws = " \t\r\n\f\v";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(ws);
  return std::string(s.substr(b, e - b + 1));
}

class CsvReader final : public RecordReader {
 public:
  CsvReader(std::unique_ptr<BufferedInput> in, char delimiter, const ReaderOptions& options)
      : in_(std::move(in)),
        delimiter_(delimiter),
        max_bytes_(options.max_record_bytes),
        columns_(options.columns) {}

  Result<ReadOutcome> Next(RawRecord* record, Reject* reject) override;
  uint64_t bytes_read() const override { return in_->consumed(); }
  const std::vector<std::string>* Columns() const override {
    return names_.empty() ? nullptr : &names_;
  }

 private:
  // Sets names_ from a header record.
  void TakeHeader();
  bool CellsEqualColumns() const;
  bool TryPlainTsvLine(std::string_view d, size_t* consumed);
  Result<ReadOutcome> RejectFirstLine(Reject* reject, std::string reason);

  std::unique_ptr<BufferedInput> in_;
  const char delimiter_;
  const size_t max_bytes_;
  const std::vector<std::string> columns_;
  std::vector<std::string> names_;
  bool started_ = false;
  bool have_header_ = false;
  uint64_t lines_ = 0;  // '\n' consumed so far
  CsvCells cells_;
};

void CsvReader::TakeHeader() {
  names_.clear();
  std::set<std::string> seen;
  for (size_t i = 0; i < cells_.n; ++i) {
    std::string name = Trim(cells_.v[i]);
    if (name.empty()) name = "col" + std::to_string(i + 1);
    std::string unique = name;
    for (int k = 2; seen.count(unique) > 0; ++k) unique = name + "_" + std::to_string(k);
    seen.insert(unique);
    names_.push_back(std::move(unique));
  }
}

// TSV files are often written without any quoting, with '"' as ordinary
// text: a field may open with a quote that closes in a later field or line.
// When the quote rules give a TSV row the wrong number of fields, or leave a
// quote open, the row's first line split on tabs is taken instead if that
// gives the expected count. Returns whether it did (cells_, *consumed set).
bool CsvReader::TryPlainTsvLine(std::string_view d, size_t* consumed) {
  if (delimiter_ != '\t' || names_.empty()) return false;
  size_t nl = d.find('\n');
  size_t len = nl == std::string_view::npos ? d.size() : nl;
  std::string_view line = d.substr(0, len);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (static_cast<size_t>(std::count(line.begin(), line.end(), '\t')) + 1 != names_.size()) {
    return false;
  }
  cells_.n = 0;
  size_t pos = 0;
  for (;;) {
    size_t tab = line.find('\t', pos);
    cells_.Add().assign(line.substr(pos, tab == std::string_view::npos ? tab : tab - pos));
    if (tab == std::string_view::npos) break;
    pos = tab + 1;
  }
  *consumed = nl == std::string_view::npos ? d.size() : nl + 1;
  return true;
}

bool CsvReader::CellsEqualColumns() const {
  if (cells_.n != columns_.size()) return false;
  for (size_t i = 0; i < cells_.n; ++i) {
    if (Trim(cells_.v[i]) != columns_[i]) return false;
  }
  return true;
}

// Rejects the record starting at the front of the buffer and drops its
// first line, streaming, so that even a runaway record costs no memory.
Result<ReadOutcome> CsvReader::RejectFirstLine(Reject* reject, std::string reason) {
  SetReject(reject, in_->name(), lines_ + 1, std::move(reason), in_->data());
  ET_RETURN_IF_ERROR(in_->SkipLine().status());
  ++lines_;
  return ReadOutcome::kReject;
}

Result<ReadOutcome> CsvReader::Next(RawRecord* record, Reject* reject) {
  if (!started_) {
    started_ = true;
    if (in_->data().size() < kBom.size()) ET_RETURN_IF_ERROR(in_->Fill(kBom.size()).status());
    if (in_->data().substr(0, kBom.size()) == kBom) in_->Consume(kBom.size());
    if (!columns_.empty()) names_ = columns_;
  }
  for (;;) {
    std::string_view d = in_->data();
    if (d.empty()) {
      if (in_->eof()) return ReadOutcome::kEnd;
      ET_RETURN_IF_ERROR(in_->Fill(BufferedInput::kChunk).status());
      continue;
    }
    size_t consumed = 0;
    CsvParse r = ParseCsvRecord(d, in_->eof(), delimiter_, &cells_, &consumed);
    if (r == CsvParse::kNeedMore) {
      if (d.size() > max_bytes_) {
        return RejectFirstLine(reject, "record longer than " + std::to_string(max_bytes_) +
                                           " bytes (max_record_bytes); skipped up to the end "
                                           "of its first line. An unbalanced '\"' can make "
                                           "a record run on");
      }
      // Double the window so that re-parsing stays linear overall.
      size_t want = std::min(std::max(d.size() * 2, d.size() + BufferedInput::kChunk),
                             max_bytes_ + BufferedInput::kChunk);
      ET_RETURN_IF_ERROR(in_->Fill(want).status());
      continue;
    }
    if (r == CsvParse::kUnterminatedQuote && TryPlainTsvLine(d, &consumed)) {
      r = CsvParse::kRecord;
    }
    if (r == CsvParse::kUnterminatedQuote) {
      return RejectFirstLine(reject,
                             "unterminated quoted field: a '\"' opens a field and is never "
                             "closed; double quotes inside quoted fields (\"\") or quote the "
                             "whole field");
    }
    if (cells_.n != names_.size()) TryPlainTsvLine(d, &consumed);
    const uint64_t start_line = lines_ + 1;
    std::string_view raw = d.substr(0, consumed);
    if (consumed > max_bytes_) {
      return RejectFirstLine(
          reject, "record longer than " + std::to_string(max_bytes_) + " bytes (max_record_bytes)");
    }
    lines_ += static_cast<uint64_t>(std::count(raw.begin(), raw.end(), '\n'));
    if (cells_.n == 1 && cells_.v[0].empty()) {  // a blank line
      in_->Consume(consumed);
      continue;
    }
    if (!have_header_) {
      have_header_ = true;
      if (columns_.empty()) {
        TakeHeader();
        in_->Consume(consumed);
        continue;
      }
      if (CellsEqualColumns()) {
        in_->Consume(consumed);
        continue;
      }
    }
    if (cells_.n != names_.size()) {
      SetReject(reject, in_->name(), start_line,
                "expected " + std::to_string(names_.size()) + " fields (as in the " +
                    (columns_.empty() ? "header" : "given columns") + "), found " +
                    std::to_string(cells_.n) +
                    "; a field holding the delimiter or a line break must be quoted, and a "
                    "'\"' inside a quoted field must be doubled (\"\")",
                raw);
      in_->Consume(consumed);
      return ReadOutcome::kReject;
    }
    record->fields.resize(names_.size());
    for (size_t i = 0; i < names_.size(); ++i) {
      record->fields[i].first.assign(names_[i]);
      record->fields[i].second.swap(cells_.v[i]);  // hands over the buffer, no copy
    }
    record->file.assign(in_->name());
    record->line = start_line;
    in_->Consume(consumed);
    return ReadOutcome::kRecord;
  }
}

}  // namespace

std::unique_ptr<RecordReader> MakeCsvReader(std::unique_ptr<BufferedInput> in, char delimiter,
                                            const ReaderOptions& options) {
  return std::make_unique<CsvReader>(std::move(in), delimiter, options);
}

}  // namespace echotrace
