// Article stages of the demo builder: original articles, then planted quotes,
// lightly edited copies and syndicated copies (see corpus.cc for the order).
//
// Planting marks the origin's pieces with the passage id before copying
// them, so the origin occurrence and every copy are found the same way when
// the text is rendered: as a maximal run of pieces carrying the id.
#include <algorithm>

#include "demo/builder.h"
#include "demo/edit.h"
#include "demo/lexicon.h"

namespace echotrace::demo {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kHour = 3600;

bool ParaIsFree(const Para& p, bool allow_tp) {
  for (const auto& piece : p) {
    if (!piece.passages.empty()) return false;
    if (!allow_tp && piece.tp >= 0) return false;
  }
  return true;
}

}  // namespace

void Builder::MakeArticles() {
  Rng r(o_.seed, "articles");
  const auto& outlets = Outlets();
  std::vector<std::vector<std::string>> bylines(outlets.size());
  std::vector<int> weighted;  // news outlets publish more often than blogs
  for (size_t i = 0; i < outlets.size(); ++i) {
    const int n = r.Int(2, 4);
    for (int k = 0; k < n; ++k) {
      // One draw per statement, in the order GCC 12 took (the order inside
      // one expression is unspecified).
      const std::string last = g_.ExpandSlot("last_name", r);
      std::string name = g_.ExpandSlot("first_name", r);
      name += ' ';
      name += last;
      bylines[i].push_back(std::move(name));
    }
    for (int k = 0; k < (outlets[i].blog ? 2 : 3); ++k) weighted.push_back(static_cast<int>(i));
  }
  for (int i = 0; i < o_.articles; ++i) {
    const int outlet = r.Pick(weighted);
    Doc d = MakeArticle(r, outlet, bylines[outlet]);
    d.url = ArticleUrl(outlet, d.time, d.title, i + 1);
    articles_.push_back(AddDoc(std::move(d)));
  }
}

Doc Builder::MakeArticle(Rng& r, int outlet, const std::vector<std::string>& bylines) {
  const Outlet& out = Outlets()[outlet];
  std::vector<int> slant;
  for (int tp : out.slant) {
    if (tp < c_.talking_points) slant.push_back(tp);
  }
  int focus = -1;
  int topic = static_cast<int>(r.Below(ArticleTopics().size()));
  if (!slant.empty() && r.Chance(0.55)) {
    focus = r.Pick(slant);
    topic = TalkingPoints()[focus].topic;
  }
  const ArticleTopic& t = ArticleTopics()[topic];
  Doc d;
  d.kind = DocKind::kArticle;
  d.outlet = outlet;
  d.author = r.Pick(bylines);
  // One draw per statement (the order inside one expression is unspecified).
  const int64_t day = r.Span(o_.days - 1);
  const int64_t hour = r.Int(5, 21);
  d.time = c_.time_start + day * kDay + hour * kHour + r.Int(0, 3599);
  d.title = Capitalize(g_.ExpandSlot(t.title_slot, r));
  if (out.blog && r.Chance(0.25)) d.format = ArticleFormat::kMd;
  if (!out.blog && r.Chance(0.08)) d.format = ArticleFormat::kTxt;
  Para lead{Plain(Sent(t.lead_slot, r))};
  for (int k = r.Int(0, 2); k > 0; --k) lead.push_back(Plain(Sent(t.body_slot, r)));
  d.paras.push_back(std::move(lead));
  for (int p = r.Int(4, 8); p > 0; --p) {
    Para para;
    for (int k = r.Int(2, 4); k > 0; --k) {
      para.push_back(Plain(Sent(r.Chance(0.6) ? t.body_slot : "art_generic", r)));
    }
    d.paras.push_back(std::move(para));
  }
  if (focus >= 0) {
    for (int k = r.Int(1, 2); k > 0; --k) AddTalkingPoint(r, d, focus, false);
  } else if (slant.empty() && r.Chance(0.2)) {
    for (int tp = 0; tp < c_.talking_points; ++tp) {
      if (TalkingPoints()[tp].topic == topic) {
        AddTalkingPoint(r, d, tp, true);
        break;
      }
    }
  }
  d.paras.push_back(Para{Plain(Sent("art_closing", r))});
  if (!out.boilerplate.empty()) {
    d.paras.push_back(Para{Plain(out.boilerplate)});
    d.tail_paras = 1;
  }
  return d;
}

// Puts a talking-point sentence into a body paragraph (not the lead). A
// neutral outlet reports it with an attribution ("Critics claim:") first.
void Builder::AddTalkingPoint(Rng& r, Doc& d, int tp, bool attributed) {
  Para& para = d.paras[r.Int(1, static_cast<int>(d.paras.size()) - 1)];
  auto at = para.begin() + static_cast<long>(r.Below(para.size() + 1));
  at = para.insert(at, TpPiece(tp, r));
  if (attributed) {
    para.insert(at, Plain(g_.Expand("[Critics|Some commentators|Posts shared on chirp] "
                                    "[claim|argue|insist]:",
                                    r)));
  }
}

// Original articles of other outlets published at least `min_gap` seconds
// after `origin`, in random order.
// https://<domain>/YYYY/MM/DD/<slug>[-n]
std::string Builder::ArticleUrl(int outlet, int64_t time, const std::string& title, int n) const {
  std::string date = FormatTime(time).substr(0, 10);
  std::replace(date.begin(), date.end(), '-', '/');
  std::string url = "https://" + Outlets()[outlet].domain + "/" + date + "/" + Slugify(title, 48);
  if (n > 0) {
    url += '-';  // not "-" + std::to_string(n): a bogus GCC 12 -Wrestrict at -O3 (bug 105329)
    url += std::to_string(n);
  }
  return url;
}

std::vector<int> Builder::LaterArticles(int origin, int64_t min_gap, Rng& r) {
  std::vector<int> out;
  const Doc& od = c_.docs[origin];
  for (int a : articles_) {
    const Doc& d = c_.docs[a];
    if (d.outlet != od.outlet && d.time >= od.time + min_gap) out.push_back(a);
  }
  r.Shuffle(&out);
  return out;
}

void Builder::PlantQuotes() {
  Rng r(o_.seed, "quotes");
  const int n = std::max(6, o_.articles / 5);
  for (int k = 0, tries = 0; k < n && tries < 50 * n; ++tries) {
    const int origin = r.Pick(articles_);
    Doc& od = c_.docs[origin];
    if (od.time > c_.time_start + (c_.time_end - c_.time_start) * 7 / 10) continue;
    const int pi = r.Int(1, BodyEnd(od) - 2);
    if (od.paras[pi].size() < 2 || !ParaIsFree(od.paras[pi], true)) continue;
    std::vector<int> hosts = LaterArticles(origin, 2 * kHour, r);
    if (hosts.empty()) continue;
    hosts.resize(std::min<size_t>(hosts.size(), r.Int(2, 4)));
    const int passage = static_cast<int>(c_.passages.size());
    c_.passages.push_back({"quote", origin});
    Para& src = od.paras[pi];
    const int len = std::min(static_cast<int>(src.size()), r.Int(2, 3));
    const int first = static_cast<int>(r.Below(src.size() - len + 1));
    Para quoted;
    for (int i = first; i < first + len; ++i) {
      src[i].passages.push_back(passage);
      quoted.push_back(src[i]);
    }
    const std::string& name = Outlets()[od.outlet].name;
    for (int h : hosts) {
      Doc& hd = c_.docs[h];
      Para para{Plain(g_.Sentence("[As|] " + name + " [reported|wrote|put it] [{time_ref}|]:", r))};
      para.insert(para.end(), quoted.begin(), quoted.end());
      for (int j = r.Int(0, 2); j > 0; --j) para.push_back(Plain(Sent("art_generic", r)));
      hd.paras.insert(hd.paras.begin() + r.Int(1, BodyEnd(hd) - 1), std::move(para));
    }
    if (r.Chance(0.6)) forum_quotes_.push_back({name, quoted, od.time + r.Int(3600, 5 * kDay)});
    ++k;
  }
}

void Builder::PlantEdited() {
  Rng r(o_.seed, "edited");
  const std::vector<std::string>& inserts = g_.Values("edit_insert");
  const int n = std::max(4, o_.articles / 10);
  for (int k = 0, tries = 0; k < n && tries < 50 * n; ++tries) {
    const int origin = r.Pick(articles_);
    Doc& od = c_.docs[origin];
    if (od.time > c_.time_start + (c_.time_end - c_.time_start) * 3 / 4) continue;
    const int pi = r.Int(1, BodyEnd(od) - 2);
    Para& src = od.paras[pi];
    if (src.size() < 2 || !ParaIsFree(src, false)) continue;
    std::vector<int> hosts = LaterArticles(origin, 6 * kHour, r);
    if (hosts.empty()) continue;
    hosts.resize(std::min<size_t>(hosts.size(), r.Int(1, 3)));
    const int passage = static_cast<int>(c_.passages.size());
    c_.passages.push_back({"edited", origin});
    for (auto& piece : src) piece.passages.push_back(passage);
    auto edited_copy = [&]() {
      Para copy = src;
      for (int e = r.Int(2, 4); e > 0; --e) {
        Piece& p = copy[r.Below(copy.size())];
        p.text = EditWords(p.text, 1, r, inserts);
      }
      return copy;
    };
    for (int h : hosts) {
      Doc& hd = c_.docs[h];
      Para para = edited_copy();
      if (r.Chance(0.5)) para.push_back(Plain(Sent("art_generic", r)));
      hd.paras.insert(hd.paras.begin() + r.Int(1, BodyEnd(hd) - 1), std::move(para));
    }
    if (r.Chance(0.4)) {
      forum_quotes_.push_back(
          {Outlets()[od.outlet].name, edited_copy(), od.time + r.Int(3600, 4 * kDay)});
    }
    ++k;
  }
}

void Builder::Syndicate() {
  Rng r(o_.seed, "syndication");
  const auto& outlets = Outlets();
  std::vector<int> blogs;
  for (size_t i = 0; i < outlets.size(); ++i) {
    if (outlets[i].blog) blogs.push_back(static_cast<int>(i));
  }
  std::vector<int> candidates;
  for (int a : articles_) {
    const Doc& d = c_.docs[a];
    if (!outlets[d.outlet].blog && d.time < c_.time_end - 4 * kDay) candidates.push_back(a);
  }
  r.Shuffle(&candidates);
  candidates.resize(std::min<size_t>(candidates.size(), std::max(4, o_.articles / 8)));
  for (int origin : candidates) {
    const int passage = static_cast<int>(c_.passages.size());
    c_.passages.push_back({"syndication", origin});
    Doc& od = c_.docs[origin];  // not used after AddDoc() below may move it
    const int origin_outlet = od.outlet;
    std::vector<Para> body(od.paras.begin(), od.paras.begin() + BodyEnd(od));
    for (auto& para : body) {
      for (auto& piece : para) piece.passages.push_back(passage);
    }
    std::copy(body.begin(), body.end(), od.paras.begin());
    NearDupGroup group{"syndication", {origin}};
    std::vector<int> targets = blogs;
    r.Shuffle(&targets);
    targets.resize(r.Int(1, std::min<int>(3, static_cast<int>(targets.size()))));
    for (int outlet : targets) {
      if (outlet == origin_outlet) continue;
      Doc copy;
      copy.kind = DocKind::kArticle;
      copy.format = r.Chance(0.2) ? ArticleFormat::kMd : ArticleFormat::kHtml;
      copy.outlet = outlet;
      copy.author = c_.docs[origin].author;
      copy.title = c_.docs[origin].title;
      copy.time = Clamp(c_.docs[origin].time + r.Int(2 * kHour, 3 * kDay));
      copy.copy_of = origin;
      copy.paras = body;
      copy.paras.push_back(Para{Plain("The post " + copy.title + " appeared first on " +
                                      outlets[origin_outlet].name + ".")});
      copy.paras.push_back(Para{Plain(r.Pick(g_.Values("share_line")))});
      copy.tail_paras = 2;
      copy.url = ArticleUrl(outlet, copy.time, copy.title, 0);
      group.docs.push_back(AddDoc(std::move(copy)));
    }
    if (group.docs.size() > 1) c_.neardup.push_back(std::move(group));
  }
}

}  // namespace echotrace::demo
