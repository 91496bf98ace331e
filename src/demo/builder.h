// The stages that build the demo corpus; BuildCorpus() (corpus.h) runs them.
// Split out of corpus.cc only to keep files short; not used elsewhere.
#ifndef ECHOTRACE_DEMO_BUILDER_H_
#define ECHOTRACE_DEMO_BUILDER_H_

#include <string>
#include <string_view>
#include <vector>

#include "demo/corpus.h"
#include "demo/grammar.h"
#include "demo/rng.h"

namespace echotrace::demo {

inline Piece Plain(std::string text) {
  Piece p;
  p.text = std::move(text);
  return p;
}

// Lower-case ASCII letters and digits, other runs as one '-', at most max_len.
std::string Slugify(std::string_view s, size_t max_len);
// Adds a final '.' unless the text ends in . ! or ?.
std::string EnsurePeriod(std::string s);

class Builder {
 public:
  explicit Builder(const DemoOptions& options);
  Corpus Build();

 private:
  // A passage copy waiting for a forum post to host it.
  struct ForumQuote {
    std::string outlet;
    Para pieces;
    int64_t after = 0;
  };

  // Article stages (builder_articles.cc).
  void MakeArticles();
  Doc MakeArticle(Rng& r, int outlet, const std::vector<std::string>& bylines);
  void AddTalkingPoint(Rng& r, Doc& d, int tp, bool attributed);
  void PlantQuotes();
  void PlantEdited();
  void Syndicate();
  std::vector<int> LaterArticles(int origin, int64_t min_gap, Rng& r);
  std::string ArticleUrl(int outlet, int64_t time, const std::string& title, int n) const;
  int BodyEnd(const Doc& d) const { return static_cast<int>(d.paras.size()) - d.tail_paras; }

  // Post stages (builder_posts.cc).
  void MakeAccounts();
  void MakeCoordination();
  void MakeBurst(Rng& r, int g, int64_t start, const std::vector<int>& tps);
  void MakeNearDups();
  void MakeOrganicPosts();
  void MakeOrganicPost(Rng& r, int account);
  void MakeOddities();
  void MakeForum();
  void MakeForumUsers(Rng& r);
  void FillForumBody(Rng& r, int quote, bool first, int tp, Doc* post);
  void AssignIds();

  // Helpers.
  int AddDoc(Doc d);
  int AddChirp(int account, int64_t time, Para para, int parent = -1);
  int64_t DaytimeTime(Rng& r);
  int64_t Clamp(int64_t t) const;
  std::string Sent(const std::string& slot, Rng& r) const;
  Piece TpPiece(int tp, Rng& r, const std::string& lang = "en") const;
  std::string ArticleLink(Rng& r, int article, bool tracking) const;
  int PopularArticle(Rng& r) const;
  int RandomOrganicAccount(Rng& r) const;

  DemoOptions o_;
  Grammar g_;
  Corpus c_;
  std::vector<int> articles_;               // original articles, doc indices
  std::vector<int> chirps_;                 // chirp doc indices, creation order
  std::vector<int> organic_;                // accounts in no coordinated group
  std::vector<std::vector<int>> affinity_;  // talking points per account
  std::vector<ForumQuote> forum_quotes_;
};

}  // namespace echotrace::demo

#endif  // ECHOTRACE_DEMO_BUILDER_H_
