// The demo corpus: a deterministic, entirely fictional sample corpus with a
// planted ground truth, written by `echotrace demo` and scored by its report.
//
// WriteDemoCorpus() writes into DemoOptions::out_dir:
//   chirp_posts.jsonl   microblog posts; canonical fields id, text, author,
//                       time (ISO 8601, "Z"; null or absent when unknown),
//                       source ("chirp"), url, parent (only on replies and
//                       reposts).
//   forum.csv           forum posts with deliberately non-canonical column
//                       names: post_id,user,created_at,body,thread,reply_to.
//                       RFC 4180 quoting; bodies hold commas, quotes and
//                       newlines; created_at is "YYYY-MM-DD HH:MM:SS" (UTC)
//                       or empty when unknown.
//   articles/           one article per file: mostly .html (title in <title>,
//                       author in <meta name="author">, time in
//                       <meta property="article:published_time">, canonical
//                       url in <link rel="canonical">, body in <p> elements,
//                       plus <style> and <script> that are not text), a few
//                       .txt and .md files (body only, no title line).
//   claims.jsonl        fact-check style claims: id, text, title, date. One per
//                       talking point plus distractors that nothing repeats.
//   ground_truth.json   what was planted (format below; ReadGroundTruth()).
// DemoSummary::inputs lists the paths to ingest (the first three); the last
// two are answers and claims, not corpus documents.
//
// Offsets in the ground truth are half-open byte ranges [start, end) into the
// text echotrace stores for the document:
//   JSONL / CSV   the `text` / `body` field, verbatim (after JSON unescaping
//                 or CSV unquoting).
//   .html         the visible text of the <body>: the HTML reader MUST yield
//                 the block elements (<p>) joined by a single "\n", white
//                 space collapsed, entities decoded, <script>/<style>/<head>
//                 dropped. The title is only in <title>, never in the body.
//   .txt / .md    the file content verbatim (paragraphs separated by "\n\n").
// Every span also carries its exact text, so a scorer can fall back to a
// string search if a reader differs.
//
// Document ids: JSONL `id`, CSV `post_id`, and for article files the path
// relative to out_dir ("articles/0042-merrin-ledger.html"); an ingested file's
// ext_id ends with that path. Articles also record their canonical url.
//
// Everything is generated from DemoOptions::seed with a PRNG implemented in
// echotrace (no std:: distributions), so a seed yields byte-identical files
// on every platform and standard library.
#ifndef ECHOTRACE_DEMO_H_
#define ECHOTRACE_DEMO_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "echotrace/status.h"

namespace echotrace {

struct DemoOptions {
  std::string out_dir;  // created (with parents) when missing
  uint64_t seed = 20261125;
  // Scale knobs. Values are clamped to sane minimums so that every planted
  // kind is present at any scale.
  int accounts = 400;          // chirp accounts, every one posts at least once
  int posts = 6000;            // chirp posts in total (organic and planted)
  int forum_posts = 1200;      // forum posts in total
  int articles = 120;          // original articles (copies come on top)
  int coordinated_groups = 5;  // clamped to 4..6
  int talking_points = 8;      // clamped to 6..10
  int days = 60;               // time span, starting 2026-02-02T00:00:00Z
};

struct DemoSummary {
  std::vector<std::string> files;   // every file written, full paths
  std::vector<std::string> inputs;  // what to ingest: jsonl, csv, articles/
  std::string ground_truth_path;
  std::string claims_path;
  uint64_t documents = 0;  // chirp + forum + article documents
  uint64_t chirp_posts = 0;
  uint64_t forum_posts = 0;
  uint64_t article_docs = 0;  // originals and copies
  uint64_t accounts = 0;      // chirp accounts
  uint64_t forum_users = 0;
  uint64_t reuse_passages = 0;
  uint64_t reuse_occurrences = 0;
  uint64_t neardup_groups = 0;
  uint64_t neardup_docs = 0;
  uint64_t coord_groups = 0;
  uint64_t coord_accounts = 0;
  uint64_t coord_bursts = 0;
  uint64_t coord_posts = 0;
  uint64_t talking_points = 0;
  uint64_t talking_point_mentions = 0;
  uint64_t claims = 0;
};

// Generates the corpus for `options` and writes it under options.out_dir.
// Fills *summary (which may be null) on success. Errors: InvalidArgument for
// an empty out_dir; IOError naming the path when a directory or file cannot
// be created or written (files written before the failure are left).
// Thread-safe: calls share no state.
Status WriteDemoCorpus(const DemoOptions& options, DemoSummary* summary);

// ---- Ground truth (ground_truth.json, "format": "echotrace-demo-truth") ----

// One stretch of a document's stored text (see offsets above).
struct DemoSpan {
  std::string doc;  // document id
  uint32_t start = 0;
  uint32_t end = 0;
  std::string text;             // exactly the bytes [start, end) of the stored text
  std::optional<int64_t> time;  // the document's time, unix seconds
  bool edited = false;          // reuse: a lightly edited copy
  int wording = -1;             // talking points: template number
  std::string lang;             // talking points: "en", "ru", "uk"
};

// A passage that was reused. kind: "quote" (2-3 sentences embedded in later
// articles and forum posts), "syndication" (a whole article body copied to
// other outlets, with a footer and share boilerplate after it), "edited" (a
// paragraph copied with a few words substituted, inserted, deleted or
// swapped). `text` is the canonical passage as the origin has it. An
// occurrence's own text may differ from it in paragraph separators only
// ("\n" in HTML, "\n\n" in .txt/.md) and is then not `edited`.
struct DemoPassage {
  std::string id;
  std::string kind;
  std::string text;
  std::string origin;                 // document id of the earliest occurrence
  std::vector<DemoSpan> occurrences;  // origin included, sorted by time
};

// Documents that are the same text up to small edits. kind: "repost"
// (hashtags, emoji, a changed word, "RT"), "short_repost" (the same with a
// 6-10 word original), "coordinated" (one co-post/co-similar burst),
// "syndication" (an article and its syndicated copies).
struct DemoNearDupGroup {
  std::string id;
  std::string kind;
  std::vector<std::string> docs;
};

// One burst: the group members acting within window_seconds.
struct DemoBurst {
  int64_t start = 0;   // unix seconds of the first post
  int64_t end = 0;     // of the last post; end - start <= window_seconds
  std::string shared;  // the text, the link (without tracking) or parent id
  std::vector<std::string> docs;
  std::vector<std::string> accounts;
};

// behaviour: "co-post" (identical text), "co-similar" (near-identical text),
// "co-link" (one link, different tracking parameters), "co-reply" (replies to
// one parent), "co-repost" ("RT" of one post, parent set).
struct DemoCoordGroup {
  std::string id;
  std::string behaviour;
  int window_seconds = 0;
  std::vector<std::string> accounts;
  std::vector<DemoBurst> bursts;
};

// A recurring talking point and every sentence that carries it. Mentions in
// "ru"/"uk" are translations of the claim.
struct DemoTalkingPoint {
  std::string id;
  std::string label;
  std::string claim_id;  // the matching id in claims.jsonl
  std::string claim;
  std::vector<std::string> keywords;
  int wordings = 0;  // distinct sentence texts among the mentions
  std::vector<DemoSpan> mentions;
};

struct DemoArticle {
  std::string doc;  // "articles/<file>"
  std::string url;
  std::string outlet;
  std::string title;
  std::string format;  // "html", "txt", "md"
  std::optional<int64_t> time;
  std::string copy_of;  // doc id of the original when syndicated
};

struct GroundTruth {
  int version = 0;
  uint64_t seed = 0;
  int64_t time_start = 0;  // unix seconds; the span all known times lie in
  int64_t time_end = 0;
  // Outlet boilerplate that recurs on purpose and is not planted reuse.
  std::vector<std::string> boilerplate;
  std::vector<DemoArticle> articles;
  std::vector<DemoPassage> passages;
  std::vector<DemoNearDupGroup> neardup;
  std::vector<DemoCoordGroup> coordination;
  std::vector<DemoTalkingPoint> talking_points;
};

// Reads a ground_truth.json written by WriteDemoCorpus. Errors: IOError when
// the file cannot be read, Corruption naming the path and the field when it
// is not a ground truth of a supported version.
Result<GroundTruth> ReadGroundTruth(const std::string& path);

}  // namespace echotrace

#endif  // ECHOTRACE_DEMO_H_
