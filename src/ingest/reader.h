// Readers: turn an input path into a stream of raw records.
//
// A raw record is an ordered list of (field name, value) pairs exactly as the
// input spelled them; mapping onto the canonical fields happens later
// (pipeline/field_map.h). Readers stream: memory is bounded by the largest
// single record (capped by ReaderOptions::max_record_bytes), never by the file.
//
// Formats: JSONL/NDJSON, CSV, TSV, plain text / Markdown (one document per
// file), HTML (one document per file, visible text). Any of these may be
// compressed with gzip or zstd; compression is detected by magic bytes.
// The exact rules of each format are at the top of its reader:
// jsonl_reader.cc (flattening, one-line arrays), csv_reader.cc (the CSV/TSV
// dialect, header names, when a row is rejected), text_reader.cc (the title
// rule), html_reader.cc (what text is visible, metadata fields), and
// detect.cc (format detection, which files a directory walk takes).
#ifndef ECHOTRACE_INGEST_READER_H_
#define ECHOTRACE_INGEST_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "echotrace/document.h"
#include "echotrace/status.h"

namespace echotrace {

class InputStream;  // ingest/input_stream.h

enum class Format { kAuto, kJsonl, kCsv, kTsv, kText, kHtml };

// "auto", "jsonl", "csv", "tsv", "text", "html".
const char* FormatName(Format f);
// Parses a --format value; InvalidArgument naming the choices otherwise.
Result<Format> ParseFormat(std::string_view name);

struct RawRecord {
  // Field names and values in input order. JSON: nested objects are
  // flattened with '.' ("user.screen_name"); strings are unescaped; numbers,
  // booleans and arrays keep their JSON text; null fields are omitted.
  // CSV/TSV: header names (or col1, col2, ... / --columns without a header).
  // Text/HTML: "id" (the path), "text", and "title" when there is one.
  std::vector<std::pair<std::string, std::string>> fields;
  std::string file;   // path as given by the user
  uint64_t line = 0;  // 1-based line where the record starts
  // Invalid UTF-8 sequences the reader itself had to replace with U+FFFD
  // before it could parse the record (JSON requires valid UTF-8); counted in
  // the ingest summary like those the normaliser replaces.
  uint32_t repaired_utf8 = 0;
  // NUL bytes the reader removed from the record before parsing it (JSONL
  // lines, whole text and HTML files). NUL is never text: everywhere it is
  // dropped and counted, never a reason to reject (CSV/TSV cells keep theirs
  // for the normaliser, which drops and counts them the same way).
  uint32_t nul_bytes = 0;
  // Set by the ingest pipeline when the "id" field is the whole file's path
  // (text/HTML), which echotrace derived rather than the input gave.
  bool id_is_path = false;

  // Value of the first field named `name`, or nullptr.
  const std::string* Find(std::string_view name) const;
};

struct ReaderOptions {
  Format format = Format::kAuto;
  // CSV/TSV: column names to use. When set, the first row is data unless it
  // equals these names exactly. When empty, the first row is the header.
  std::vector<std::string> columns;
  // A record (line, CSV row, whole text file) longer than this is rejected
  // and skipped; reading goes on with the next record.
  size_t max_record_bytes = size_t{64} << 20;
  // When not null, OpenReader adds to it every byte read from the file as
  // stored (before decompression), for progress against the files' sizes.
  // Owned by the caller; updated by the thread that reads.
  uint64_t* file_bytes_read = nullptr;
};

enum class ReadOutcome { kRecord, kReject, kEnd };

// Pulls records from one input. Not thread-safe; one reader per thread.
class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // Reads the next item: fills *record and returns kRecord, or fills *reject
  // (a malformed record, which is skipped) and returns kReject, or returns
  // kEnd. Returns a non-OK status only when the input itself can no longer
  // be read (I/O error, corrupt compressed stream); the reader is then done.
  virtual Result<ReadOutcome> Next(RawRecord* record, Reject* reject) = 0;
  // Bytes of (decompressed) input consumed so far, for progress reports.
  virtual uint64_t bytes_read() const = 0;
  // The column names every record of this input carries (CSV/TSV: the
  // header, or ReaderOptions::columns), once the first Next() has returned;
  // nullptr for formats whose records name their own fields, or before the
  // header was read. Lets the pipeline check --map against it.
  virtual const std::vector<std::string>* Columns() const { return nullptr; }
};

// Opens `path` ("-" is standard input) with `options`, detecting compression
// and, for Format::kAuto, the format (DetectFormat). A file that is empty is
// not an error: its reader returns kEnd at once. A binary file (at least 5%
// of the first 64 KiB are NUL or other control bytes — not tab, line feed,
// vertical tab, form feed, carriage return or escape — and not a known
// compressed format) yields a reader whose first Next() is one kReject for
// the whole file (line 0); a few NUL bytes in text are dropped and counted
// (RawRecord::nul_bytes), not a reason to lose the file. Errors: IOError when the
// path cannot be opened, naming the path and the OS reason.
Result<std::unique_ptr<RecordReader>> OpenReader(const std::string& path,
                                                 const ReaderOptions& options);

// OpenReader on an already open stream (tests, fuzzers, pipes): takes
// ownership of `stream`, decompresses it when it starts with gzip or zstd
// magic, and reads it as `format`; Format::kAuto detects the format from
// `name` (as a path) and the first 64 KB of decompressed content, as
// OpenReader does. `name` becomes RawRecord::file / Reject::file. Empty and
// binary input behave as in OpenReader. Errors: the stream's first read.
Result<std::unique_ptr<RecordReader>> OpenReaderFromStream(std::unique_ptr<InputStream> stream,
                                                           std::string name, Format format,
                                                           const ReaderOptions& options);

// Detects the format from the file name (after stripping .gz/.zst) and, when
// the extension says nothing, from the first bytes of decompressed content:
// '{' → JSONL, '<' with an html/doctype tag → HTML, a first line with tabs →
// TSV, with commas and a plausible header → CSV, otherwise text.
// Extensions: .jsonl .ndjson .json → JSONL; .csv → CSV (TSV when its first
// line has tabs and no comma); .tsv → TSV; .txt → text (TSV when its first
// two lines have the same number of tabs); .md .markdown → text; .html .htm
// .xhtml → HTML. Case-insensitive. Pure function; thread-safe.
Format DetectFormat(std::string_view path, std::string_view head);

// Expands the user's paths: files are kept in the given order, directories
// are walked recursively and their files listed in byte-wise sorted order
// (hidden files and directories, whose names start with '.', are skipped).
// "-" is kept as is. In a directory only regular files (symlinks to them
// count) with an extension DetectFormat knows, optionally followed by
// .gz/.gzip/.zst/.zstd, are taken; symlinked directories are not followed.
// A file named explicitly is kept whatever its name, and a path that cannot
// be checked (EACCES, ENOTDIR) is kept too, so OpenReader reports the OS
// error. Errors: NotFound naming a path that does not exist; IOError when a
// directory cannot be listed. When `skipped` is not null, every entry of a
// walked directory that was left out is appended to it as "path: why" (a
// hidden file or folder, an extension no reader takes, a link to a folder,
// not a regular file), sorted within each directory named.
Result<std::vector<std::string>> ExpandInputs(const std::vector<std::string>& paths,
                                              std::vector<std::string>* skipped = nullptr);

}  // namespace echotrace

#endif  // ECHOTRACE_INGEST_READER_H_
