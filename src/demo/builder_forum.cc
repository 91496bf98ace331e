// Forum stage of the demo builder: threads of multi-paragraph posts with
// replies, talking points, and the forum hosts of planted article quotes.
//
// Post times are drawn first and sorted within each thread, so a reply
// always points at an earlier post of its own thread.
#include <algorithm>
#include <set>

#include "demo/builder.h"
#include "demo/lexicon.h"

namespace echotrace::demo {
namespace {

constexpr int64_t kDay = 86400;

struct Slot {
  int64_t time = 0;
  int quote = -1;  // index into the pending forum quotes, or -1
};

}  // namespace

void Builder::MakeForumUsers(Rng& r) {
  std::set<std::string> taken;
  const int users = std::max(30, o_.accounts / 4);
  while (static_cast<int>(c_.forum_users.size()) < users) {
    // One draw per statement, in the order GCC 12 took (the order inside one
    // expression is unspecified).
    const std::string b = g_.ExpandSlot("forum_user_b", r);
    std::string u = g_.ExpandSlot("forum_user_a", r);
    u += b;
    if (r.Chance(0.5)) u += std::to_string(r.Int(2, 99));
    if (taken.insert(u).second) c_.forum_users.push_back(u);
  }
}

void Builder::MakeForum() {
  Rng r(o_.seed, "forum");
  MakeForumUsers(r);
  const int users = static_cast<int>(c_.forum_users.size());
  std::vector<int> user_tp(users, -1);
  for (int& tp : user_tp) {
    if (r.Chance(0.3)) tp = r.Int(0, c_.talking_points - 1);
  }
  const int nthreads = std::max(8, o_.forum_posts / 14);
  std::vector<std::string> titles;
  std::vector<std::vector<Slot>> slots(nthreads);
  for (int t = 0; t < nthreads; ++t) {
    titles.push_back(g_.Sentence(
        "[Megathread:|Discussion:|Question:|] [the situation in {city}|{official}'s latest "
        "statement|grain prices, again|the Port Merrin fire|Compact summit, live|Calvessa "
        "election results|ceasefire talks in {city}|Sarn river, what do we actually know?|Halden "
        "Cross bridge inquiry|\"peace plan\" discussion, part {num}]",
        r));
    slots[t].push_back({c_.time_start + r.Span((o_.days - 2) * kDay), -1});
  }
  const int quotes = static_cast<int>(forum_quotes_.size());
  for (int i = nthreads + quotes; i < o_.forum_posts; ++i) {
    auto& s = slots[r.Below(nthreads)];
    s.push_back({s[0].time + r.Int(120, 20 * kDay), -1});
  }
  for (int q = 0; q < quotes; ++q) {
    slots[r.Below(nthreads)].push_back({forum_quotes_[q].after, q});
  }
  for (int t = 0; t < nthreads; ++t) {
    auto& s = slots[t];
    std::sort(s.begin() + 1, s.end(), [](const Slot& a, const Slot& b) { return a.time < b.time; });
    std::vector<int> posted;
    for (size_t k = 0; k < s.size(); ++k) {
      const int user = static_cast<int>(r.Below(users));
      Doc d;
      d.kind = DocKind::kForum;
      d.author = c_.forum_users[user];
      d.thread = titles[t];
      d.time = Clamp(std::max(s[k].time, s[0].time + static_cast<int64_t>(k)));
      // Reuse hosts keep their time: the scorecard orders occurrences by it.
      d.time_known = !r.Chance(0.01) || s[k].quote >= 0;
      if (!posted.empty()) d.parent = r.Chance(0.6) ? posted.back() : r.Pick(posted);
      FillForumBody(r, s[k].quote, k == 0, user_tp[user], &d);
      posted.push_back(AddDoc(std::move(d)));
    }
  }
}

// The paragraphs of one forum post: a planted quote with its intro and a
// comment, or ordinary chatter with an opener (first post of a thread), an
// @reply, the user's talking point and a sign-off.
void Builder::FillForumBody(Rng& r, int quote, bool first, int tp, Doc* post) {
  Doc& d = *post;
  if (quote >= 0) {
    const ForumQuote& fq = forum_quotes_[quote];
    d.paras.push_back({Plain(
        g_.Sentence("[Quote from|Straight from|This is from] " + fq.outlet + "[, read it|]:", r))});
    d.paras.push_back(fq.pieces);
    d.paras.push_back({Plain(Sent("forum_sentence", r))});
    return;
  }
  if (first) d.paras.push_back({Plain(g_.Sentence("{forum_opener}", r))});
  for (int np = r.Int(1, 3); np > 0; --np) {
    Para para;
    for (int ns = r.Int(1, 3); ns > 0; --ns) {
      para.push_back(Plain(Sent(r.Chance(0.7) ? "forum_sentence" : "post", r)));
    }
    d.paras.push_back(std::move(para));
  }
  if (d.parent >= 0 && r.Chance(0.4)) {
    d.paras[0].insert(d.paras[0].begin(), Plain("@" + c_.docs[d.parent].author));
  }
  if (tp >= 0 && r.Chance(0.35)) {
    Para& para = d.paras[r.Below(d.paras.size())];
    Piece piece = TpPiece(tp, r);  // drawn first, as GCC 12 did (see MakeForumUsers)
    para.insert(para.begin() + static_cast<long>(r.Below(para.size() + 1)), std::move(piece));
  }
  if (r.Chance(0.2)) d.paras.push_back({Plain(g_.ExpandSlot("forum_closer", r))});
}

}  // namespace echotrace::demo
