// The demo builder's driver and shared helpers: option clamping, the stage
// order (explained in corpus.cc), time placement and id assignment.
#include "demo/builder.h"

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "demo/lexicon.h"

namespace echotrace::demo {
namespace {

constexpr int64_t kDay = 86400;

DemoOptions Clamped(DemoOptions o) {
  o.accounts = std::max(o.accounts, 120);
  o.posts = std::max(o.posts, 2 * o.accounts);
  o.forum_posts = std::max(o.forum_posts, 100);
  o.articles = std::max(o.articles, 30);
  o.coordinated_groups = std::clamp(o.coordinated_groups, 4, 6);
  o.talking_points = std::clamp(o.talking_points, 6, static_cast<int>(TalkingPoints().size()));
  o.days = std::clamp(o.days, 14, 365);
  return o;
}

}  // namespace

Builder::Builder(const DemoOptions& options) : o_(Clamped(options)), g_(BuildGrammar()) {
  c_.seed = o_.seed;
  c_.time_start = DemoEpoch();
  c_.time_end = c_.time_start + o_.days * kDay;
  c_.talking_points = o_.talking_points;
}

Corpus Builder::Build() {
  MakeArticles();
  PlantQuotes();
  PlantEdited();
  Syndicate();
  MakeAccounts();
  MakeCoordination();
  MakeNearDups();
  MakeOddities();
  MakeOrganicPosts();
  MakeForum();
  AssignIds();
  return std::move(c_);
}

Corpus BuildCorpus(const DemoOptions& options) { return Builder(options).Build(); }

int Builder::AddDoc(Doc d) {
  c_.docs.push_back(std::move(d));
  return static_cast<int>(c_.docs.size()) - 1;
}

int Builder::AddChirp(int account, int64_t time, Para para, int parent) {
  Doc d;
  d.kind = DocKind::kChirp;
  d.account = account;
  d.author = c_.accounts[account];
  d.time = Clamp(time);
  d.parent = parent;
  d.paras.push_back(std::move(para));
  const int idx = AddDoc(std::move(d));
  chirps_.push_back(idx);
  return idx;
}

// People post mostly between 07:00 and midnight.
int64_t Builder::DaytimeTime(Rng& r) {
  const int64_t day = r.Span(o_.days);
  const int64_t sec = r.Chance(0.85) ? r.Int(7 * 3600, kDay - 1) : r.Int(0, 7 * 3600 - 1);
  return c_.time_start + day * kDay + sec;
}

int64_t Builder::Clamp(int64_t t) const { return std::clamp(t, c_.time_start, c_.time_end - 1); }

std::string Builder::Sent(const std::string& slot, Rng& r) const {
  return EnsurePeriod(Capitalize(g_.ExpandSlot(slot, r)));
}

Piece Builder::TpPiece(int tp, Rng& r, const std::string& lang) const {
  const TalkingPointDef& def = TalkingPoints()[tp];
  const auto& list = lang == "ru" ? def.ru : lang == "uk" ? def.uk : def.templates;
  Piece p;
  p.wording = static_cast<int>(r.Below(list.size()));
  p.text = EnsurePeriod(g_.Sentence(list[p.wording], r));
  p.tp = tp;
  p.lang = lang;
  return p;
}

std::string Builder::ArticleLink(Rng& r, int article, bool tracking) const {
  std::string url = c_.docs[article].url;
  if (!tracking) return url;
  static const std::vector<std::string> kSources = {"chirp", "share", "mb", "social", "app"};
  std::string token;
  for (int i = 0; i < 6; ++i) token.push_back("abcdefghijkmnpqrstuvwxyz23456789"[r.Below(32)]);
  return url + "?utm_source=" + r.Pick(kSources) + "&utm_medium=social&utm_campaign=" + token;
}

// Links are shared with a heavy tail: a few articles go viral.
int Builder::PopularArticle(Rng& r) const {
  const uint64_t n = articles_.size();
  const uint64_t rank = r.Chance(0.5) ? r.Below(std::min<uint64_t>(n, 8)) : r.Below(n);
  return articles_[rank];
}

int Builder::RandomOrganicAccount(Rng& r) const { return r.Pick(organic_); }

// Ids follow time order within each kind, as exports from real platforms do.
void Builder::AssignIds() {
  std::vector<int> chirp, forum, article;
  for (int i = 0; i < static_cast<int>(c_.docs.size()); ++i) {
    switch (c_.docs[i].kind) {
      case DocKind::kChirp:
        chirp.push_back(i);
        break;
      case DocKind::kForum:
        forum.push_back(i);
        break;
      case DocKind::kArticle:
        article.push_back(i);
        break;
    }
  }
  auto by_time = [this](int a, int b) {
    return c_.docs[a].time != c_.docs[b].time ? c_.docs[a].time < c_.docs[b].time : a < b;
  };
  char buf[32];
  std::sort(chirp.begin(), chirp.end(), by_time);
  for (size_t k = 0; k < chirp.size(); ++k) {
    Doc& d = c_.docs[chirp[k]];
    std::snprintf(buf, sizeof buf, "c-%06zu", k + 1);
    d.id = buf;
    d.url = "https://chirp.example/" + d.author + "/status/" + std::to_string(7300000 + k * 13);
  }
  std::sort(forum.begin(), forum.end(), by_time);
  for (size_t k = 0; k < forum.size(); ++k) {
    std::snprintf(buf, sizeof buf, "f-%06zu", k + 1);
    c_.docs[forum[k]].id = buf;
  }
  std::sort(article.begin(), article.end(), by_time);
  for (size_t k = 0; k < article.size(); ++k) {
    Doc& d = c_.docs[article[k]];
    const char* ext = d.format == ArticleFormat::kHtml  ? "html"
                      : d.format == ArticleFormat::kTxt ? "txt"
                                                        : "md";
    std::snprintf(buf, sizeof buf, "articles/%04zu-", k + 1);
    d.id = buf + Outlets()[d.outlet].slug + "." + ext;
  }
  c_.order = chirp;
  c_.order.insert(c_.order.end(), forum.begin(), forum.end());
  c_.order.insert(c_.order.end(), article.begin(), article.end());
}

}  // namespace echotrace::demo
