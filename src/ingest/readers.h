// Internal to the ingest component: the concrete RecordReaders behind
// OpenReader, and the CSV record parser that format detection reuses.
//
// Every factory takes ownership of a BufferedInput whose first block has
// already been read (for sniffing) and not consumed. The readers report
// records with `file` = the input's name and stop with the stream's error
// status when the input cannot be read further.
#ifndef ECHOTRACE_INGEST_READERS_H_
#define ECHOTRACE_INGEST_READERS_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "echotrace/document.h"
#include "ingest/buffered_input.h"
#include "ingest/reader.h"

namespace echotrace {

// JSON Lines: one object per line. See jsonl_reader.cc for the rules.
std::unique_ptr<RecordReader> MakeJsonlReader(std::unique_ptr<BufferedInput> in,
                                              const ReaderOptions& options);
// CSV (delimiter ',') or TSV ('\t'). See csv_reader.cc for the rules.
std::unique_ptr<RecordReader> MakeCsvReader(std::unique_ptr<BufferedInput> in, char delimiter,
                                            const ReaderOptions& options);
// One document per input. See text_reader.cc / html_reader.cc.
std::unique_ptr<RecordReader> MakeTextReader(std::unique_ptr<BufferedInput> in,
                                             const ReaderOptions& options);
std::unique_ptr<RecordReader> MakeHtmlReader(std::unique_ptr<BufferedInput> in,
                                             const ReaderOptions& options);
// The title rule of the text reader (text_reader.cc); "" when none.
std::string TextTitle(std::string_view text);

// Yields `reject` once, then kEnd. bytes_read() reports `bytes`.
std::unique_ptr<RecordReader> MakeRejectReader(Reject reject, uint64_t bytes);
// kEnd at once.
std::unique_ptr<RecordReader> MakeEmptyReader();

// Reads the rest of `in` into *out. Returns false (leaving *out partial)
// when the input holds more than `max_bytes`. Errors: the stream's.
Result<bool> ReadAll(BufferedInput* in, size_t max_bytes, std::string* out);

// Removes every NUL byte from *s; returns how many there were.
uint32_t StripNul(std::string* s);

// Fills reject fields; `raw` is cut to its first 256 bytes.
void SetReject(Reject* reject, const std::string& file, uint64_t line, std::string reason,
               std::string_view raw);

// ---- CSV record parser ----------------------------------------------------

// Reusable cell storage: strings keep their capacity between records.
struct CsvCells {
  std::vector<std::string> v;
  size_t n = 0;
  std::string& Add() {
    if (n == v.size()) v.emplace_back();
    return v[n++];
  }
};

enum class CsvParse { kRecord, kNeedMore, kUnterminatedQuote };

// Parses the record at the start of `data` into cells->v[0, cells->n).
// kRecord: *consumed is its length including the line end. kNeedMore: the
// record may continue past `data` (only when !eof). kUnterminatedQuote: a
// quoted field runs to the end of input.
CsvParse ParseCsvRecord(std::string_view data, bool eof, char delimiter, CsvCells* cells,
                        size_t* consumed);

}  // namespace echotrace

#endif  // ECHOTRACE_INGEST_READERS_H_
