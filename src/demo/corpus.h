// The demo corpus in memory: documents built from pieces, and what was
// planted in them. BuildCorpus() makes it; render.h turns it into files.
//
// A document is paragraphs of pieces (sentences, hashtags, links, ...). Its
// stored text is the pieces joined by " " and the paragraphs by a separator
// ("\n", or "\n\n" for .txt/.md). Planted structure lives on the pieces: a
// piece knows the talking point it states and the reuse passages it belongs
// to, and copying a piece copies that knowledge. Offsets are therefore never
// tracked by hand: they are computed once, when the text is rendered.
#ifndef ECHOTRACE_DEMO_CORPUS_H_
#define ECHOTRACE_DEMO_CORPUS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "echotrace/demo.h"

namespace echotrace::demo {

struct Piece {
  std::string text;
  int tp = -1;                // talking point stated by this piece, or -1
  int wording = -1;           // its template number
  std::string lang;           // language of a talking-point piece
  std::vector<int> passages;  // reuse passages this piece is part of
};
using Para = std::vector<Piece>;

enum class DocKind { kChirp, kForum, kArticle };
enum class ArticleFormat { kHtml, kTxt, kMd };

struct Doc {
  DocKind kind = DocKind::kChirp;
  ArticleFormat format = ArticleFormat::kHtml;
  std::string id;      // assigned by BuildCorpus once all docs exist
  std::string author;  // handle, forum user or byline
  int account = -1;    // chirp account index
  int64_t time = 0;    // unix seconds; also the sort key when unknown
  bool time_known = true;
  int parent = -1;     // doc index of the replied-to / reposted doc
  std::string url;     // articles: canonical url; chirp: post url
  std::string title;   // articles
  std::string thread;  // forum thread title
  int outlet = -1;
  int copy_of = -1;    // syndicated copy: doc index of the original
  int tail_paras = 0;  // trailing paragraphs that are not body (footers)
  std::vector<Para> paras;
};

struct Passage {
  std::string kind;  // "quote", "syndication", "edited"
  int origin = -1;   // doc index
};

struct NearDupGroup {
  std::string kind;
  std::vector<int> docs;
};

struct Burst {
  int64_t start = 0;
  int64_t end = 0;
  std::string shared;      // text or link; empty when it is the parent
  int shared_parent = -1;  // doc index for co-reply / co-repost
  std::vector<int> docs;
};

struct CoordGroup {
  std::string behaviour;
  int window_seconds = 60;
  std::vector<int> accounts;
  std::vector<Burst> bursts;
};

struct Corpus {
  uint64_t seed = 0;
  int64_t time_start = 0;
  int64_t time_end = 0;
  int talking_points = 0;             // the first N of TalkingPoints() are used
  std::vector<std::string> accounts;  // chirp handles
  std::vector<std::string> forum_users;
  std::vector<Doc> docs;
  std::vector<int> order;  // doc indices in output order (by time)
  std::vector<Passage> passages;
  std::vector<NearDupGroup> neardup;
  std::vector<CoordGroup> groups;
};

// Builds the corpus for `options` (scale knobs clamped). Deterministic: the
// same options give the same corpus on every platform.
Corpus BuildCorpus(const DemoOptions& options);

// The stored text of `doc`. When `offsets` is not null it receives, for every
// piece in order (paragraph by paragraph), its [start, end) byte range.
std::string DocText(const Doc& doc, std::vector<std::pair<uint32_t, uint32_t>>* offsets);

// Unix seconds of 2026-02-02T00:00:00Z, where the demo time line starts.
int64_t DemoEpoch();

// "YYYY-MM-DDTHH:MM:SSZ" or, with `sep` = ' ' and no zone, the forum style.
std::string FormatTime(int64_t unix_seconds, char sep = 'T', bool zulu = true);

}  // namespace echotrace::demo

#endif  // ECHOTRACE_DEMO_CORPUS_H_
