// The ingest pipeline (include/echotrace/ingest.h).
//
//   reader thread ──RawBatch──► worker threads ──DocBatch──► calling thread
//   (files in order,            (map + normalise,            (writes batches in
//    cut into batches)           any order)                   sequence order)
//
// Batches carry a sequence number so that the writer commits them in input
// order whatever thread finished first: ids in the store, and so every later
// result, are deterministic. Both queues are bounded, which bounds memory.
// A batch is one transaction: a kill loses at most the batches in flight,
// and the rerun skips what was committed because ext_ids repeat.
#include "echotrace/ingest.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "ingest/reader.h"
#include "pipeline/field_map.h"
#include "pipeline/normalizer.h"
#include "text/time_parse.h"
#include "util/progress.h"

namespace echotrace {

namespace {

struct RawBatch {
  uint64_t seq = 0;
  std::string default_source;
  std::vector<RawRecord> records;
  std::vector<Reject> rejects;
  std::vector<std::string> notes;  // warnings about whole files
  uint64_t bytes = 0;              // cumulative decompressed bytes after this batch
  uint64_t file_bytes = 0;         // cumulative bytes read from the files as stored
  bool new_file = false;
};

struct DocBatch {
  uint64_t seq = 0;
  std::vector<Document> docs;
  std::vector<Reject> rejects;
  std::vector<std::string> warnings;
  uint64_t invalid_utf8 = 0;
  uint64_t nul_bytes = 0;
  uint64_t read = 0;
  uint64_t bytes = 0;
  uint64_t file_bytes = 0;
  bool new_file = false;
};

// A bounded multi-producer multi-consumer queue.
template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(size_t cap) : cap_(cap) {}
  // Returns false if the queue was closed.
  bool Push(T item) {
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [&] { return closed_ || q_.size() < cap_; });
    if (closed_) return false;
    q_.push_back(std::move(item));
    not_empty_.notify_one();
    return true;
  }
  // Returns nullopt once closed and drained.
  std::optional<T> Pop() {
    std::unique_lock<std::mutex> lock(mu_);
    not_empty_.wait(lock, [&] { return closed_ || !q_.empty(); });
    if (q_.empty()) return std::nullopt;
    T item = std::move(q_.front());
    q_.pop_front();
    not_full_.notify_one();
    return item;
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

 private:
  size_t cap_;
  std::deque<T> q_;
  bool closed_ = false;
  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
};

// Holds finished batches until the writer wants them, in sequence order.
class Reorderer {
 public:
  explicit Reorderer(size_t cap) : cap_(cap) {}
  void Put(DocBatch b) {
    std::unique_lock<std::mutex> lock(mu_);
    // The batch the writer waits for is always admitted, so a full buffer
    // of later batches cannot deadlock the pipeline.
    cv_.wait(lock, [&] { return aborted_ || b.seq == next_ || ready_.size() < cap_; });
    if (aborted_) return;
    ready_.emplace(b.seq, std::move(b));
    cv_.notify_all();
  }
  // Returns the next batch in order, or nullopt when `total` batches were
  // taken (total is known once the reader is done) or on abort.
  std::optional<DocBatch> Take(const std::atomic<int64_t>& total) {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      if (aborted_) return std::nullopt;
      auto it = ready_.find(next_);
      if (it != ready_.end()) {
        DocBatch b = std::move(it->second);
        ready_.erase(it);
        ++next_;
        cv_.notify_all();
        return b;
      }
      int64_t t = total.load();
      if (t >= 0 && next_ >= static_cast<uint64_t>(t)) return std::nullopt;
      cv_.wait_for(lock, std::chrono::milliseconds(50));
    }
  }
  void Wake() { cv_.notify_all(); }
  void Abort() {
    std::lock_guard<std::mutex> lock(mu_);
    aborted_ = true;
    cv_.notify_all();
  }

 private:
  size_t cap_;
  uint64_t next_ = 0;
  bool aborted_ = false;
  std::map<uint64_t, DocBatch> ready_;
  std::mutex mu_;
  std::condition_variable cv_;
};

std::string DefaultSourceFor(const std::string& path) {
  if (path == "-") return "stdin";
  std::string name = std::filesystem::path(path).filename().string();
  // Strip compression, then format extensions: "ira_tweets.csv.zst" →
  // "ira_tweets".
  for (const char* ext : {".gz", ".zst", ".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".txt",
                          ".md", ".markdown", ".html", ".htm"}) {
    std::string e(ext);
    if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) {
      name.resize(name.size() - e.size());
    }
  }
  return name;
}

std::string RawPrefix(std::string_view s) { return std::string(s.substr(0, 256)); }

std::string JsonArray(const std::vector<std::string>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += ',';
    AppendJsonString(v[i], &s);
  }
  return s + "]";
}

// One file to read, with the name its whole-file documents are stored under.
struct InputFile {
  std::string path;
  // For text/HTML files, whose id is their path: the path relative to the
  // directory the user named, prefixed with that directory's name
  // ("articles/0042.html"), or the file name for a file named directly. Both
  // are taken from the absolute, normalised path, so ids depend neither on
  // the working directory nor on how the path was spelled (`dir`, `dir/`,
  // `./dir/../dir`, `/abs/dir` give the same), and a rerun from elsewhere
  // still recognises stored documents.
  std::string display;
  // The source of records that name none and have no URL: the directory the
  // user named, or the file's name without extensions.
  std::string default_source;
};

// `p` made absolute and lexically normal, without a trailing separator:
// "./dir/../dir/" → "/cwd/dir". `.` and `..` are resolved on the text, like
// the shell's `cd -L`, so a symlinked folder keeps its own name.
std::filesystem::path NormalPath(const std::string& p) {
  std::error_code ec;
  std::filesystem::path a = std::filesystem::absolute(p, ec).lexically_normal();
  if (ec) a = std::filesystem::path(p).lexically_normal();
  if (!a.has_filename() && a.has_parent_path() && a != a.root_path()) a = a.parent_path();
  return a;
}

// The files to read; what a directory walk left out goes to *skipped.
Result<std::vector<InputFile>> ResolveInputs(const std::vector<std::string>& paths,
                                             std::vector<std::string>* skipped) {
  std::vector<InputFile> out;
  for (const std::string& p : paths) {
    auto expanded = ExpandInputs({p}, skipped);
    if (!expanded.ok()) return Status::InvalidArgument(expanded.status().message());
    std::error_code ec;
    bool is_dir = p != "-" && std::filesystem::is_directory(p, ec);
    const std::filesystem::path base = NormalPath(p);
    const std::string dir_name = base.filename().string();  // "" for "/"
    for (std::string& f : *expanded) {
      InputFile in;
      in.path = f == "-" ? f : std::filesystem::path(f).lexically_normal().string();
      if (f == "-") {
        in.display = "stdin";
      } else if (is_dir) {
        std::string rel = NormalPath(f).lexically_relative(base).generic_string();
        in.display = dir_name.empty() ? rel : dir_name + '/';
        if (!dir_name.empty()) in.display += rel;
        in.default_source = dir_name;
      } else {
        in.display = NormalPath(f).filename().string();
      }
      if (in.default_source.empty()) in.default_source = DefaultSourceFor(in.path);
      out.push_back(std::move(in));
    }
  }
  return out;
}

struct Shared {
  std::atomic<bool> stop{false};
  std::atomic<int64_t> total_batches{-1};
  std::atomic<uint64_t> files{0};
  // Set once by the reader thread when the ingest must fail (a --map column
  // missing from a header); read after it is joined.
  Status error;
};

// Why a file that gave neither records nor rejects gave nothing.
std::string EmptyFileNote(const std::string& path, const RecordReader& reader) {
  if (reader.bytes_read() == 0) return path + ": empty file; nothing to read";
  if (const std::vector<std::string>* cols = reader.Columns()) {
    return path + ": a header row (" + std::to_string(cols->size()) +
           (cols->size() == 1 ? " column" : " columns") + ") and no data rows; nothing to read";
  }
  return path + ": no records in it (only blank lines)";
}

// Reads every input, cuts records into batches and queues them.
void ReadAll(const std::vector<InputFile>& inputs, const ReaderOptions& ropts,
             const FieldMapper& mapper, size_t batch_records, BoundedQueue<RawBatch>* out,
             Shared* shared) {
  uint64_t seq = 0;
  uint64_t bytes_done = 0;
  uint64_t stored_bytes = 0;  // read from the files as stored, for progress
  ReaderOptions file_ropts = ropts;
  file_ropts.file_bytes_read = &stored_bytes;
  for (const InputFile& input : inputs) {
    const std::string& path = input.path;
    if (shared->stop) break;
    shared->files++;
    RawBatch batch;
    batch.seq = seq;
    batch.default_source = input.default_source;
    batch.new_file = true;
    auto flush = [&](bool force) {
      if (!force && batch.records.size() < batch_records) return true;
      batch.seq = seq++;
      batch.file_bytes = stored_bytes;
      std::string src = batch.default_source;
      if (!out->Push(std::move(batch))) return false;
      batch = RawBatch();
      batch.default_source = std::move(src);
      return !shared->stop;
    };
    auto opened = OpenReader(path, file_ropts);
    if (!opened.ok()) {
      batch.rejects.push_back(Reject{path, 0, opened.status().message(), ""});
      if (!flush(true)) break;
      continue;
    }
    RecordReader& reader = **opened;
    uint64_t file_bytes = 0;
    uint64_t file_items = 0;  // records and rejects
    bool columns_checked = false;
    for (;;) {
      RawRecord rec;
      Reject rej;
      auto outcome = reader.Next(&rec, &rej);
      if (!columns_checked) {
        // The header is known after the first Next: a --map column it lacks
        // would reject every row, so stop before any is read.
        columns_checked = true;
        const std::vector<std::string>* cols = reader.Columns();
        Status cs = cols != nullptr ? mapper.CheckColumns(*cols, path) : Status::OK();
        if (!cs.ok()) {
          shared->error = std::move(cs);
          shared->stop = true;
          break;
        }
      }
      if (!outcome.ok()) {
        // The rest of this file cannot be read: say so, keep what was read.
        batch.rejects.push_back(
            Reject{path, rec.line, "reading stopped: " + outcome.status().message(), ""});
        break;
      }
      if (*outcome == ReadOutcome::kEnd) break;
      ++file_items;
      if (*outcome == ReadOutcome::kReject) {
        batch.rejects.push_back(std::move(rej));
      } else {
        for (auto& [name, value] : rec.fields) {
          if (name == "id" && value == path) {
            value = input.display;
            rec.id_is_path = true;
          }
        }
        batch.records.push_back(std::move(rec));
      }
      file_bytes = reader.bytes_read();
      batch.bytes = bytes_done + file_bytes;
      if (batch.records.size() + batch.rejects.size() >= batch_records) {
        if (!flush(true)) break;
      }
      if (shared->stop) break;
    }
    if (shared->stop) break;
    if (file_items == 0 && batch.rejects.empty()) {
      batch.notes.push_back(EmptyFileNote(path, reader));
    }
    bytes_done += reader.bytes_read();
    batch.bytes = bytes_done;
    if (!flush(true)) break;
  }
  shared->total_batches = static_cast<int64_t>(seq);
  out->Close();
}

// Maps and normalises batches.
void Work(const FieldMapper& mapper, const IngestOptions& opts, std::optional<int64_t> default_time,
          BoundedQueue<RawBatch>* in, Reorderer* out) {
  MapPlan plan;
  std::string text_fields = mapper.Describe(Field::kText);
  while (auto raw = in->Pop()) {
    DocBatch b;
    b.seq = raw->seq;
    b.bytes = raw->bytes;
    b.file_bytes = raw->file_bytes;
    b.new_file = raw->new_file;
    b.rejects = std::move(raw->rejects);
    b.warnings = std::move(raw->notes);
    b.read = raw->records.size() + b.rejects.size();
    b.docs.reserve(raw->records.size());
    for (RawRecord& rec : raw->records) {
      MappedRecord m = mapper.Map(rec, &plan);
      Document doc;
      NormalizeResult r =
          NormalizeRecord(m, opts.source, raw->default_source, text_fields, &doc, default_time);
      b.invalid_utf8 += r.invalid_utf8 + rec.repaired_utf8;
      if (const uint64_t nuls = r.nul_bytes + rec.nul_bytes; nuls > 0) {
        b.nul_bytes += nuls;
        r.warnings.push_back(std::to_string(nuls) +
                             " NUL byte(s) dropped from the record (NUL is not text)");
      }
      for (std::string& w : r.warnings) {
        b.warnings.push_back(rec.file + ":" + std::to_string(rec.line) + ": " + w);
      }
      if (!r.ok) {
        std::string raw_text;
        for (const auto& [k, v] : rec.fields) {
          if (raw_text.size() > 256) break;
          raw_text += k + "=" + v.substr(0, 128) + "; ";
        }
        b.rejects.push_back(Reject{rec.file, rec.line, r.reject_reason, RawPrefix(raw_text)});
        continue;
      }
      // A whole-file document's id is its path (InputFile::display): derived
      // by echotrace, not given by the input, so a rerun under another
      // --source finds it again instead of qualifying it as another item.
      const std::string* path_id = rec.id_is_path ? rec.Find("id") : nullptr;
      if (path_id != nullptr && doc.ext_id == *path_id) doc.ext_id_derived = true;
      doc.origin_file = rec.file;
      doc.origin_line = rec.line;
      b.docs.push_back(std::move(doc));
    }
    // Rejects and documents interleave by line; --strict needs the first.
    std::stable_sort(b.rejects.begin(), b.rejects.end(),
                     [](const Reject& x, const Reject& y) { return x.line < y.line; });
    out->Put(std::move(b));
  }
}

// An ingest that stored nothing from a non-empty input failed, whatever the
// reason: NotFound (exit code 1) saying what happened. A rerun whose records
// are all stored already did its job, and an input of empty files has
// nothing to store (its files were reported as warnings).
Status NothingStored(const IngestSummary& s, bool check_only) {
  if (s.ingested > 0 || s.duplicates > 0 || s.interrupted) return Status::OK();
  const std::string verb = check_only ? "would be stored" : "was stored";
  if (s.rejected > 0) {
    return Status::NotFound("nothing " + verb + ": all " + std::to_string(s.rejected) +
                            " record(s) read were rejected (reasons above" +
                            (check_only ? "" : " and in the store's rejects table") +
                            "); if the fields have other names, map them with --map "
                            "FIELD=COLUMN");
  }
  if (s.bytes > 0 || s.skipped_files > 0) {
    return Status::NotFound("nothing " + verb + ": the input holds no records it could read (" +
                            std::to_string(s.skipped_files) +
                            " file(s) skipped in the named folders; see the warnings above)");
  }
  return Status::OK();
}

std::string ParamsJson(const std::vector<std::string>& paths, const IngestOptions& o) {
  std::string s = "{\"paths\":" + JsonArray(paths) + ",\"format\":";
  AppendJsonString(o.format, &s);
  s += ",\"map\":" + JsonArray(o.map) + ",\"columns\":" + JsonArray(o.columns) + ",\"source\":";
  AppendJsonString(o.source, &s);
  s += ",\"time\":";
  AppendJsonString(o.time, &s);
  s += std::string(",\"strict\":") + (o.strict ? "true" : "false") + "}";
  return s;
}

}  // namespace

std::string IngestSummary::ToJson() const {
  char buf[768];
  std::snprintf(
      buf, sizeof buf,
      "{\"run_id\":%lld,\"files\":%llu,\"bytes\":%llu,\"read\":%llu,\"ingested\":%llu,"
      "\"duplicates\":%llu,\"rejected\":%llu,\"warnings\":%llu,\"invalid_utf8\":%llu,"
      "\"nul_bytes\":%llu,\"skipped_files\":%llu,\"seconds\":%.3f,\"interrupted\":%s}",
      static_cast<long long>(run_id), static_cast<unsigned long long>(files),
      static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(read),
      static_cast<unsigned long long>(ingested), static_cast<unsigned long long>(duplicates),
      static_cast<unsigned long long>(rejected), static_cast<unsigned long long>(warnings),
      static_cast<unsigned long long>(invalid_utf8), static_cast<unsigned long long>(nul_bytes),
      static_cast<unsigned long long>(skipped_files), seconds, interrupted ? "true" : "false");
  return buf;
}

Status Ingest(Store* store, const std::vector<std::string>& paths, const IngestOptions& options,
              IngestSummary* summary) {
  *summary = IngestSummary();
  auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  if (paths.empty()) return Status::InvalidArgument("no input given; name files or directories");
  ReaderOptions ropts;
  ET_ASSIGN_OR_RETURN(ropts.format, ParseFormat(options.format));
  ropts.columns = options.columns;
  ET_ASSIGN_OR_RETURN(FieldMapper mapper, FieldMapper::Create(options.map));
  std::optional<int64_t> default_time;
  if (!options.time.empty()) {
    default_time = ParseTime(options.time);
    if (!default_time) {
      return Status::InvalidArgument("--time '" + options.time +
                                     "' is not a time; give ISO 8601 (2025-03-01, "
                                     "2025-03-01T10:00:00Z) or unix seconds");
    }
  }
  std::vector<std::string> skipped;
  ET_ASSIGN_OR_RETURN(std::vector<InputFile> inputs, ResolveInputs(paths, &skipped));
  summary->skipped_files = skipped.size();

  // Progress is measured in bytes of the files as stored (compressed ones
  // too), against their sizes: a percentage and the time left. Standard input
  // has no size: then only counts and rates.
  uint64_t total_bytes = 0;
  for (const InputFile& in : inputs) {
    std::error_code ec;
    const uintmax_t size = in.path == "-" ? 0 : std::filesystem::file_size(in.path, ec);
    if (in.path == "-" || ec) {
      total_bytes = 0;
      break;
    }
    total_bytes += size;
  }

  if (store == nullptr && !options.check_only) return Status::Internal("Ingest without a store");
  if (!options.check_only) {
    ET_ASSIGN_OR_RETURN(summary->run_id, store->BeginRun("ingest", ParamsJson(paths, options)));
  }
  // Writes a batch, or in check-only mode counts it and reports its rejects.
  auto write = [&](const std::vector<Document>& docs, const std::vector<Reject>& rejects,
                   InsertCounts* c) -> Status {
    if (!options.check_only) return store->WriteBatch(summary->run_id, docs, rejects, c);
    c->inserted += docs.size();
    return Status::OK();
  };

  int threads =
      options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  size_t batch_records = std::max<size_t>(1, options.batch_records);
  BoundedQueue<RawBatch> raw_q(static_cast<size_t>(threads) * 2);
  Reorderer ready(static_cast<size_t>(threads) * 2 + 2);
  Shared shared;

  std::thread reader(ReadAll, std::cref(inputs), std::cref(ropts), std::cref(mapper), batch_records,
                     &raw_q, &shared);
  std::vector<std::thread> workers;
  workers.reserve(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back(Work, std::cref(mapper), std::cref(options), default_time, &raw_q, &ready);
  }

  const Progress::Mode mode = options.progress ? Progress::Mode::kAuto : Progress::Mode::kQuiet;
  // A sink (a program's own display) gets a line a second; a log file every 5 s.
  Progress progress = options.on_progress ? Progress("ingest", "docs", total_bytes, mode,
                                                     options.on_progress, std::chrono::seconds(1))
                                          : Progress("ingest", "docs", total_bytes, mode);
  uint64_t warnings_shown = 0;
  auto warn = [&](const std::string& w) {
    if (options.on_warning) {
      options.on_warning(w);
    } else if (warnings_shown < 20) {
      std::fprintf(stderr, "warning: %s\n", w.c_str());
      if (++warnings_shown == 20) {
        std::fprintf(stderr, "warning: further warnings are counted but not shown\n");
      }
    }
  };

  for (const std::string& why : skipped) warn("skipped " + why);

  Status status;
  while (auto batch = ready.Take(shared.total_batches)) {
    if (options.strict && !batch->rejects.empty()) {
      const Reject& first = batch->rejects.front();
      // Store what came before the bad record, so a fixed rerun resumes.
      std::vector<Document> before;
      for (Document& d : batch->docs) {
        if (d.origin_file != first.file || d.origin_line < first.line)
          before.push_back(std::move(d));
      }
      InsertCounts c;
      Status ws = write(before, {}, &c);
      summary->ingested += c.inserted;
      summary->duplicates += c.duplicates;
      summary->read += c.inserted + c.duplicates + 1;
      summary->rejected += 1;
      status = ws.ok() ? Status::BadInput(first.file + ":" + std::to_string(first.line) + ": " +
                                          first.reason +
                                          " (--strict stops here; fix the record, or run "
                                          "without --strict to store it in the rejects table "
                                          "and go on)")
                       : ws;
      break;
    }
    InsertCounts c;
    status = write(batch->docs, batch->rejects, &c);
    if (options.check_only) {
      for (const Reject& r : batch->rejects) {
        warn("rejected " + r.file + ":" + std::to_string(r.line) + ": " + r.reason);
      }
    }
    if (!status.ok()) break;
    summary->read += batch->read;
    summary->ingested += c.inserted;
    summary->duplicates += c.duplicates;
    summary->rejected += batch->rejects.size();
    summary->warnings += batch->warnings.size();
    summary->invalid_utf8 += batch->invalid_utf8;
    summary->nul_bytes += batch->nul_bytes;
    summary->bytes = batch->bytes;
    for (const std::string& w : batch->warnings) warn(w);
    progress.Update(summary->read, batch->file_bytes);
    if (options.cancel != nullptr && options.cancel->load()) {
      summary->interrupted = true;
      status = Status::Cancelled("interrupted; " + std::to_string(summary->ingested) +
                                 " new documents were stored. Run the same command again to "
                                 "resume: stored records are recognised and skipped");
      break;
    }
  }
  // Unblock and join every thread, whatever ended the loop.
  shared.stop = true;
  raw_q.Close();
  ready.Abort();
  reader.join();
  for (auto& w : workers) w.join();
  progress.Finish();
  if (status.ok() && !shared.error.ok()) status = shared.error;
  if (status.ok()) status = NothingStored(*summary, options.check_only);

  summary->files = shared.files;
  summary->seconds = elapsed();
  std::string run_status = status.ok() ? "ok" : (summary->interrupted ? "interrupted" : "failed");
  if (!options.check_only) {
    Status end = store->EndRun(summary->run_id, run_status, summary->ToJson());
    if (status.ok()) status = end;
  }
  return status;
}

}  // namespace echotrace
