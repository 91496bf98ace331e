// Renders the demo corpus into its files and derives the ground truth.
//
// Ground truth is derived from the rendered text, never tracked by hand:
// each document is rendered once with the byte range of every piece, a
// reuse occurrence is a maximal run of consecutive pieces that carry the
// passage id, and a talking-point mention is the range of a marked piece.
// Files are then written from the same text, so the offsets cannot drift.
#include "demo/render.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "demo/grammar.h"
#include "demo/lexicon.h"
#include "util/html_escape.h"
#include "util/json.h"

namespace echotrace::demo {
namespace {

using Offsets = std::vector<std::pair<uint32_t, uint32_t>>;

struct Texts {
  std::vector<std::string> text;  // per doc index
  std::vector<Offsets> offsets;
  std::vector<int> rank;  // position in corpus.order
};

DemoSpan MakeSpan(const Corpus& c, const Texts& t, int doc, uint32_t start, uint32_t end) {
  DemoSpan s;
  s.doc = c.docs[doc].id;
  s.start = start;
  s.end = end;
  s.text = t.text[doc].substr(start, end - start);
  if (c.docs[doc].time_known) s.time = c.docs[doc].time;
  return s;
}

// Scans one document's pieces for passage runs and talking-point pieces.
void ScanDoc(const Corpus& c, const Texts& t, int doc, std::vector<std::vector<DemoSpan>>* occ,
             std::vector<DemoTalkingPoint>* tps) {
  std::map<int, std::pair<uint32_t, uint32_t>> open;  // passage -> run so far
  auto close_missing = [&](const std::vector<int>& keep) {
    for (auto it = open.begin(); it != open.end();) {
      if (std::find(keep.begin(), keep.end(), it->first) != keep.end()) {
        ++it;
        continue;
      }
      (*occ)[it->first].push_back(MakeSpan(c, t, doc, it->second.first, it->second.second));
      it = open.erase(it);
    }
  };
  size_t k = 0;
  for (const Para& para : c.docs[doc].paras) {
    for (const Piece& piece : para) {
      const auto [start, end] = t.offsets[doc][k++];
      close_missing(piece.passages);
      for (int p : piece.passages) {
        auto it = open.find(p);
        if (it == open.end()) {
          open[p] = {start, end};
        } else {
          it->second.second = end;
        }
      }
      if (piece.tp >= 0 && piece.tp < static_cast<int>(tps->size())) {
        DemoSpan s = MakeSpan(c, t, doc, start, end);
        s.wording = piece.wording;
        s.lang = piece.lang;
        (*tps)[piece.tp].mentions.push_back(std::move(s));
      }
    }
  }
  close_missing({});
}

std::string ClaimId(int i) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "claim-%03d", i + 1);
  return buf;
}

void FillPassages(const Corpus& c, const Texts& t, std::vector<std::vector<DemoSpan>> occ,
                  GroundTruth* truth) {
  std::map<std::string, int> rank;
  for (size_t i = 0; i < c.docs.size(); ++i) rank[c.docs[i].id] = t.rank[i];
  for (size_t p = 0; p < c.passages.size(); ++p) {
    auto& spans = occ[p];
    std::sort(spans.begin(), spans.end(), [&](const DemoSpan& a, const DemoSpan& b) {
      return rank[a.doc] < rank[b.doc];  // within a kind, ranks follow time
    });
    std::stable_sort(spans.begin(), spans.end(), [](const DemoSpan& a, const DemoSpan& b) {
      return a.time.value_or(0) < b.time.value_or(0);
    });
    DemoPassage dp;
    char buf[40];
    std::snprintf(buf, sizeof buf, "reuse-%03zu", p + 1);
    dp.id = buf;
    dp.kind = c.passages[p].kind;
    dp.origin = c.docs[c.passages[p].origin].id;
    for (const auto& s : spans) {
      if (s.doc == dp.origin) dp.text = s.text;
    }
    // Paragraph separators differ between formats ("\n" vs "\n\n"); only a
    // change of words makes an occurrence edited.
    for (auto& s : spans) s.edited = Tidy(s.text) != Tidy(dp.text);
    dp.occurrences = std::move(spans);
    truth->passages.push_back(std::move(dp));
  }
}

void FillArticles(const Corpus& c, GroundTruth* truth) {
  for (int i : c.order) {
    const Doc& d = c.docs[i];
    if (d.kind != DocKind::kArticle) continue;
    DemoArticle a;
    a.doc = d.id;
    a.url = d.url;
    a.outlet = Outlets()[d.outlet].name;
    a.title = d.title;
    a.format = d.format == ArticleFormat::kHtml  ? "html"
               : d.format == ArticleFormat::kTxt ? "txt"
                                                 : "md";
    a.time = d.time;
    if (d.copy_of >= 0) a.copy_of = c.docs[d.copy_of].id;
    truth->articles.push_back(std::move(a));
  }
}

void FillGroups(const Corpus& c, GroundTruth* truth) {
  int n = 0;
  for (const auto& g : c.neardup) {
    DemoNearDupGroup dg;
    dg.id = "neardup-" + std::to_string(++n);
    dg.kind = g.kind;
    for (int d : g.docs) dg.docs.push_back(c.docs[d].id);
    truth->neardup.push_back(std::move(dg));
  }
  n = 0;
  for (const auto& g : c.groups) {
    DemoCoordGroup cg;
    cg.id = "coord-" + std::to_string(++n);
    cg.behaviour = g.behaviour;
    cg.window_seconds = g.window_seconds;
    for (int a : g.accounts) cg.accounts.push_back(c.accounts[a]);
    for (const auto& b : g.bursts) {
      DemoBurst db;
      db.start = b.start;
      db.end = b.end;
      db.shared = b.shared_parent >= 0 ? c.docs[b.shared_parent].id : b.shared;
      for (int d : b.docs) {
        db.docs.push_back(c.docs[d].id);
        db.accounts.push_back(c.docs[d].author);
      }
      cg.bursts.push_back(std::move(db));
    }
    truth->coordination.push_back(std::move(cg));
  }
}

GroundTruth BuildTruth(const Corpus& c, const Texts& t) {
  GroundTruth truth;
  truth.version = 1;
  truth.seed = c.seed;
  truth.time_start = c.time_start;
  truth.time_end = c.time_end;
  for (const auto& o : Outlets()) {
    if (!o.boilerplate.empty()) truth.boilerplate.push_back(o.boilerplate);
  }
  const Grammar grammar = BuildGrammar();  // must outlive the loop over its values
  for (const auto& s : grammar.Values("share_line")) truth.boilerplate.push_back(s);
  for (int i = 0; i < c.talking_points; ++i) {
    const TalkingPointDef& def = TalkingPoints()[i];
    truth.talking_points.push_back({def.id, def.label, ClaimId(i), def.claim, def.keywords, 0, {}});
  }
  std::vector<std::vector<DemoSpan>> occ(c.passages.size());
  for (int i : c.order) ScanDoc(c, t, i, &occ, &truth.talking_points);
  for (auto& tp : truth.talking_points) {
    std::set<std::string> distinct;
    for (const auto& m : tp.mentions) distinct.insert(m.text);
    tp.wordings = static_cast<int>(distinct.size());
  }
  FillArticles(c, &truth);
  FillPassages(c, t, std::move(occ), &truth);
  FillGroups(c, &truth);
  return truth;
}

}  // namespace

std::string CsvField(const std::string& s) {
  const bool quote = s.find_first_of(",\"\r\n") != std::string::npos ||
                     (!s.empty() && (s.front() == ' ' || s.back() == ' '));
  if (!quote) return s;
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out.push_back('"');
    out.push_back(ch);
  }
  out.push_back('"');
  return out;
}

std::string HtmlEscape(const std::string& s, bool escape_apostrophe) {
  std::string out = EscapeHtml(s, escape_apostrophe);
  // A scraper-style named entity for the one non-ASCII symbol outlets use.
  for (size_t at = out.find("©"); at != std::string::npos; at = out.find("©", at)) {
    out.replace(at, std::string("©").size(), "&copy;");
  }
  return out;
}

namespace {

std::string ChirpJsonl(const Corpus& c, const Texts& t) {
  std::string out;
  for (int i : c.order) {
    const Doc& d = c.docs[i];
    if (d.kind != DocKind::kChirp) continue;
    JsonWriter w;
    w.BeginObject().Key("id").String(d.id).Key("text").String(t.text[i]);
    w.Key("author").String(d.author);
    if (d.time_known) {
      w.Key("time").String(FormatTime(d.time));
    } else if (i % 2 == 0) {
      w.Key("time").Null();  // unknown time, written both ways real exports do
    }
    w.Key("source").String("chirp").Key("url").String(d.url);
    if (d.parent >= 0) w.Key("parent").String(c.docs[d.parent].id);
    w.EndObject();
    out += w.str();
    out.push_back('\n');
  }
  return out;
}

std::string ForumCsv(const Corpus& c, const Texts& t) {
  std::string out = "post_id,user,created_at,body,thread,reply_to\n";
  for (int i : c.order) {
    const Doc& d = c.docs[i];
    if (d.kind != DocKind::kForum) continue;
    out += CsvField(d.id) + "," + CsvField(d.author) + ",";
    out += (d.time_known ? FormatTime(d.time, ' ', false) : "") + ",";
    out += CsvField(t.text[i]) + "," + CsvField(d.thread) + ",";
    out += (d.parent >= 0 ? CsvField(c.docs[d.parent].id) : "") + "\n";
  }
  return out;
}

std::string ParaText(const Para& p) {
  std::string out;
  for (const auto& piece : p) {
    if (!out.empty()) out.push_back(' ');
    out += piece.text;
  }
  return out;
}

// One article page. Some outlets write local times with an offset and
// escape apostrophes, as real sites do; the stored text is the same.
std::string ArticleHtml(const Doc& d) {
  const Outlet& o = Outlets()[d.outlet];
  const bool apos = d.outlet % 2 == 1;
  const std::string time =
      d.outlet % 3 == 2 ? FormatTime(d.time + 7200, 'T', false) + "+02:00" : FormatTime(d.time);
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<title>" + HtmlEscape(d.title, apos) + "</title>\n";
  h += "<meta name=\"author\" content=\"" + HtmlEscape(d.author, apos) + "\">\n";
  h += "<meta property=\"article:published_time\" content=\"" + time + "\">\n";
  h += "<link rel=\"canonical\" href=\"" + HtmlEscape(d.url, false) + "\">\n";
  h += "<style>\nbody { font-family: Georgia, serif; max-width: 40em; }\n"
       ".share p { color: #777; }\n</style>\n";
  h += "<script>window.analytics = {site: \"" + o.slug +
       "\", track: function (e) { return e > 0 && e < 9; }};</script>\n";
  h += "</head>\n<body>\n<!-- article body -->\n<article>\n";
  const size_t body_end = d.paras.size() - d.tail_paras;
  for (size_t p = 0; p < body_end; ++p)
    h += "<p>" + HtmlEscape(ParaText(d.paras[p]), apos) + "</p>\n";
  h += "</article>\n";
  for (size_t p = body_end; p < d.paras.size(); ++p) {
    h += "<p class=\"footer\">" + HtmlEscape(ParaText(d.paras[p]), apos) + "</p>\n";
  }
  h += "<script>analytics.track(1); var n = document.querySelectorAll('p').length;</script>\n";
  h += "</body>\n</html>\n";
  return h;
}

std::string Claims(const Corpus& c) {
  std::string out;
  int n = 0;
  auto add = [&](const std::string& text, const std::string& title) {
    JsonWriter w;
    w.BeginObject().Key("id").String(ClaimId(n)).Key("text").String(text);
    w.Key("title").String(title);
    w.Key("date").String(FormatTime(c.time_start + (3 + 4 * n) * int64_t{86400}).substr(0, 10));
    w.EndObject();
    out += w.str() + "\n";
    ++n;
  };
  for (int i = 0; i < c.talking_points; ++i) {
    add(TalkingPoints()[i].claim, "Fact check: " + TalkingPoints()[i].label);
  }
  for (const auto& claim : DistractorClaims()) add(claim, "Fact check: " + claim);
  return out;
}

DemoSummary Summarize(const Corpus& c, const GroundTruth& truth) {
  DemoSummary s;
  for (const auto& d : c.docs) {
    ++s.documents;
    if (d.kind == DocKind::kChirp) ++s.chirp_posts;
    if (d.kind == DocKind::kForum) ++s.forum_posts;
    if (d.kind == DocKind::kArticle) ++s.article_docs;
  }
  s.accounts = c.accounts.size();
  s.forum_users = c.forum_users.size();
  s.reuse_passages = truth.passages.size();
  for (const auto& p : truth.passages) s.reuse_occurrences += p.occurrences.size();
  s.neardup_groups = truth.neardup.size();
  for (const auto& g : truth.neardup) s.neardup_docs += g.docs.size();
  s.coord_groups = truth.coordination.size();
  for (const auto& g : truth.coordination) {
    s.coord_accounts += g.accounts.size();
    s.coord_bursts += g.bursts.size();
    for (const auto& b : g.bursts) s.coord_posts += b.docs.size();
  }
  s.talking_points = truth.talking_points.size();
  for (const auto& tp : truth.talking_points) s.talking_point_mentions += tp.mentions.size();
  s.claims = c.talking_points + DistractorClaims().size();
  return s;
}

}  // namespace

Rendered Render(const Corpus& c) {
  Texts t;
  t.text.resize(c.docs.size());
  t.offsets.resize(c.docs.size());
  t.rank.resize(c.docs.size());
  for (size_t i = 0; i < c.docs.size(); ++i) t.text[i] = DocText(c.docs[i], &t.offsets[i]);
  for (size_t k = 0; k < c.order.size(); ++k) t.rank[c.order[k]] = static_cast<int>(k);
  Rendered out;
  out.truth = BuildTruth(c, t);
  out.files.push_back({"chirp_posts.jsonl", ChirpJsonl(c, t)});
  out.files.push_back({"forum.csv", ForumCsv(c, t)});
  for (int i : c.order) {
    const Doc& d = c.docs[i];
    if (d.kind != DocKind::kArticle) continue;
    out.files.push_back(
        {d.id, d.format == ArticleFormat::kHtml ? ArticleHtml(d) : t.text[i] + "\n"});
  }
  out.files.push_back({"claims.jsonl", Claims(c)});
  out.files.push_back({"ground_truth.json", GroundTruthJson(out.truth)});
  out.summary = Summarize(c, out.truth);
  return out;
}

}  // namespace echotrace::demo
