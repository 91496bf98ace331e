// Microblog stages of the demo builder: accounts, coordinated bursts,
// near-duplicate reposts, a few deliberately odd posts, and the organic
// background that all of them hide in.
//
// Coordinated accounts also post organically, and organic accounts share the
// same popular links and reply to the same popular posts, only not within
// seconds of each other again and again; that difference is what a
// coordination detector has to find.
#include <algorithm>
#include <set>

#include "demo/builder.h"
#include "demo/edit.h"
#include "demo/lexicon.h"

namespace echotrace::demo {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kHour = 3600;

std::string JoinPara(const Para& p) {
  std::string out;
  for (const auto& piece : p) {
    if (!out.empty()) out.push_back(' ');
    out += piece.text;
  }
  return out;
}

}  // namespace

void Builder::MakeAccounts() {
  Rng r(o_.seed, "accounts");
  std::set<std::string> taken;
  while (static_cast<int>(c_.accounts.size()) < o_.accounts) {
    // One draw per statement, in the order GCC 12 took: the order inside one
    // expression is unspecified, and the demo must not depend on the compiler.
    const std::string b = g_.ExpandSlot("handle_b", r);
    const bool underscore = r.Chance(0.5);
    std::string h = g_.ExpandSlot("handle_a", r);
    if (underscore) h += '_';
    h += b;
    if (r.Chance(0.4)) h += std::to_string(r.Int(1, 999));
    if (taken.insert(h).second) c_.accounts.push_back(h);
  }
  affinity_.assign(c_.accounts.size(), {});
  for (auto& a : affinity_) {
    if (r.Chance(0.35)) a.push_back(r.Int(0, c_.talking_points - 1));
    if (r.Chance(0.1)) a.push_back(r.Int(0, c_.talking_points - 1));
  }
}

void Builder::MakeCoordination() {
  Rng r(o_.seed, "coordination");
  static const char* kBehaviours[] = {"co-post",  "co-similar", "co-link",
                                      "co-reply", "co-repost",  "co-link"};
  std::vector<int> pool(c_.accounts.size());
  for (size_t i = 0; i < pool.size(); ++i) pool[i] = static_cast<int>(i);
  r.Shuffle(&pool);
  size_t next = 0;
  std::vector<bool> member(c_.accounts.size(), false);
  for (int g = 0; g < o_.coordinated_groups; ++g) {
    CoordGroup group;
    group.behaviour = kBehaviours[g];
    for (int k = r.Int(5, 15); k > 0; --k) {
      member[pool[next]] = true;
      group.accounts.push_back(pool[next++]);
    }
    std::sort(group.accounts.begin(), group.accounts.end());
    c_.groups.push_back(std::move(group));
  }
  for (size_t a = 0; a < member.size(); ++a) {
    if (!member[a]) organic_.push_back(static_cast<int>(a));
  }
  for (int g = 0; g < o_.coordinated_groups; ++g) {
    std::vector<int> tps = {r.Int(0, c_.talking_points - 1)};
    if (r.Chance(0.5)) tps.push_back(r.Int(0, c_.talking_points - 1));
    for (int member_account : c_.groups[g].accounts) affinity_[member_account] = tps;
    std::vector<int64_t> starts;
    for (int b = r.Int(6, 9); b > 0; --b) {
      starts.push_back(c_.time_start + kDay + r.Span((o_.days - 2) * kDay));
    }
    std::sort(starts.begin(), starts.end());
    for (int64_t s : starts) MakeBurst(r, g, s, tps);
  }
}

// One burst: most members act within 40 seconds of the first, all inside the
// group's 60-second window.
void Builder::MakeBurst(Rng& r, int g, int64_t start, const std::vector<int>& tps) {
  CoordGroup& group = c_.groups[g];
  std::vector<int> who;
  for (int a : group.accounts) {
    if (r.Chance(0.85)) who.push_back(a);
  }
  if (who.size() < 4) who = group.accounts;
  r.Shuffle(&who);
  std::vector<int64_t> offsets = {0};
  while (offsets.size() < who.size()) offsets.push_back(r.Int(1, 40));
  std::sort(offsets.begin(), offsets.end());

  const int tp = r.Pick(tps);
  Para base{TpPiece(tp, r), Plain(TalkingPoints()[tp].hashtag)};
  if (r.Chance(0.4)) base.insert(base.begin(), Plain(Capitalize(g_.ExpandSlot("lead_in", r))));
  if (base.front().text.empty()) base.erase(base.begin());
  Burst burst;
  burst.start = start;
  burst.end = start + offsets.back();
  const std::string& b = group.behaviour;
  int link_article = -1;
  if (b == "co-reply" || b == "co-repost") {
    Para target = b == "co-repost" ? base : Para{Plain(Sent("post_politics", r))};
    // One draw per statement (two in one call are unspecified in order, and
    // compilers differ); this is the order GCC 12 took.
    const int64_t lead = r.Int(60, 2 * kHour);
    burst.shared_parent = AddChirp(RandomOrganicAccount(r), start - lead, target);
  } else if (b == "co-link") {
    link_article = PopularArticle(r);
    burst.shared = c_.docs[link_article].url;
  } else {
    burst.shared = JoinPara(base);
  }
  NearDupGroup dup{"coordinated", {}};
  if (burst.shared_parent >= 0 && b == "co-repost") dup.docs.push_back(burst.shared_parent);
  const std::string parent_author =
      burst.shared_parent >= 0 ? c_.docs[burst.shared_parent].author : std::string();
  for (size_t i = 0; i < who.size(); ++i) {
    Para p;
    int parent = -1;
    if (b == "co-post") {
      p = base;
    } else if (b == "co-similar") {
      bool rt = false;
      p = i == 0 ? base
                 : PostVariant(base, r, "", &rt, g_.Values("hashtag"), g_.Values("emoji"),
                               g_.Values("edit_insert"));
    } else if (b == "co-link") {
      p = {r.Chance(0.5) ? TpPiece(tp, r) : Plain(Sent("link_comment", r)),
           Plain(ArticleLink(r, link_article, true))};
    } else if (b == "co-reply") {
      p = {Plain("@" + parent_author), r.Chance(0.6) ? TpPiece(tp, r) : Plain(Sent("reply", r))};
      parent = burst.shared_parent;
    } else {  // co-repost
      p = base;
      p.insert(p.begin(), Plain("RT @" + parent_author + ":"));
      parent = burst.shared_parent;
    }
    const int doc = AddChirp(who[i], start + offsets[i], std::move(p), parent);
    burst.docs.push_back(doc);
    dup.docs.push_back(doc);
  }
  if (b == "co-post" || b == "co-similar" || b == "co-repost") c_.neardup.push_back(dup);
  group.bursts.push_back(std::move(burst));
}

void Builder::MakeNearDups() {
  Rng r(o_.seed, "neardup");
  const int n = std::max(12, o_.posts / 150);
  for (int k = 0; k < n; ++k) {
    const bool short_post = k % 3 == 0;
    Para base;
    if (short_post) {
      std::string s;
      for (int tries = 0; tries < 40; ++tries) {
        s = Capitalize(g_.ExpandSlot("short_post", r));
        const auto words = std::count(s.begin(), s.end(), ' ') + 1;
        if (words >= 6 && words <= 10) break;
      }
      base.push_back(Plain(s));
    } else {
      base.push_back(Plain(Sent("post", r)));
      if (r.Chance(0.3)) base.push_back(Plain(g_.ExpandSlot("hashtag", r)));
    }
    const int author = RandomOrganicAccount(r);
    const int64_t t = c_.time_start + r.Span((o_.days - 3) * kDay);
    NearDupGroup group{short_post ? "short_repost" : "repost", {AddChirp(author, t, base)}};
    for (int v = r.Int(3, 7); v > 0; --v) {
      bool rt = false;
      Para p = PostVariant(base, r, c_.accounts[author], &rt, g_.Values("hashtag"),
                           g_.Values("emoji"), g_.Values("edit_insert"));
      const int64_t when = t + r.Int(600, 3 * kDay);
      group.docs.push_back(AddChirp(RandomOrganicAccount(r), when, p, rt ? group.docs[0] : -1));
    }
    c_.neardup.push_back(std::move(group));
  }
}

// The odd things real exports contain, once each: markup in a post, an
// everything-at-once post, HTML entities left by a scraper, a thread post
// with line breaks.
void Builder::MakeOddities() {
  Rng r(o_.seed, "oddities");
  const int a = articles_[0];
  const std::vector<Para> odd = {
      {Plain("lol someone pasted <script>alert('chirp')</script> into the council feedback "
             "form and it rendered")},
      {Plain("@" + c_.accounts[RandomOrganicAccount(r)]), Plain("have you seen this?"),
       Plain(ArticleLink(r, a, true)), Plain("#PortMerrin #grain"), Plain("🔥👀")},
      {Plain("Port Merrin &amp; Estavel &quot;partnership&quot; is back on the table &#8212; "
             "again &lt;3")},
      {Plain("Tonight&#39;s ferry from Vell Harbour is cancelled &amp; nobody told us")},
      {Plain("A thread on the Halden Cross inquiry, 1/3 👇")},
  };
  for (const auto& p : odd) {
    const auto when = DaytimeTime(r);  // drawn first, as GCC 12 did (see above)
    AddChirp(RandomOrganicAccount(r), when, p);
  }
  Doc& thread = c_.docs[chirps_.back()];
  thread.paras.push_back({Plain("2/3 The ministry published " + g_.Expand("{num}", r) +
                                " pages and none of them mention the load tests.")});
  thread.paras.push_back({Plain("3/3 Read it yourself before the summaries get to you.")});
}

void Builder::MakeOrganicPosts() {
  Rng r(o_.seed, "organic");
  // Activity is heavy-tailed: a tenth of the accounts write most posts.
  std::vector<int> weighted;
  for (int a = 0; a < static_cast<int>(c_.accounts.size()); ++a) {
    const int w = r.Chance(0.1) ? r.Int(10, 40) : r.Int(1, 6);
    for (int k = 0; k < w; ++k) weighted.push_back(a);
  }
  const int planted = static_cast<int>(chirps_.size());
  const int n = std::max(o_.posts - planted, static_cast<int>(c_.accounts.size()));
  for (int i = 0; i < n; ++i) {
    MakeOrganicPost(r, i < static_cast<int>(c_.accounts.size()) ? i : r.Pick(weighted));
  }
}

void Builder::MakeOrganicPost(Rng& r, int account) {
  int64_t t = DaytimeTime(r);
  int parent = -1;
  Para p;
  const double roll = r.Unit();
  const auto& aff = affinity_[account];
  // The talking-point share of a partisan account's posts is plain posts for
  // everyone else, so language and link shares keep their rates.
  const bool plain = roll < 0.25 && aff.empty();
  if (plain) {
    for (int k = r.Int(1, 2); k > 0; --k) p.push_back(Plain(Sent("post", r)));
  } else if (roll < 0.25) {
    const int tp = r.Pick(aff);
    const TalkingPointDef& def = TalkingPoints()[tp];
    std::string lang = "en";
    if (!def.ru.empty() && r.Chance(0.12)) lang = r.Chance(0.5) ? "ru" : "uk";
    const std::string lead = lang == "en" ? Capitalize(g_.ExpandSlot("lead_in", r)) : "";
    if (!lead.empty()) p.push_back(Plain(lead));
    p.push_back(TpPiece(tp, r, lang));
    const std::string tail = g_.ExpandSlot("tp_tail", r);
    if (!tail.empty() && lang == "en") p.push_back(Plain(tail));
    if (r.Chance(0.4)) p.push_back(Plain(def.hashtag));
  } else if (roll < 0.29) {
    p.push_back(Plain(Sent(r.Chance(0.5) ? "post_ru" : "post_uk", r)));
  } else if (roll < 0.41) {
    const int art = PopularArticle(r);
    t = c_.docs[art].time + r.Int(60, 6 * kDay);
    p = {Plain(Sent("link_comment", r)), Plain(ArticleLink(r, art, r.Chance(0.3)))};
  } else if (roll < 0.56 && !chirps_.empty()) {
    parent =
        chirps_[r.Below(std::min<size_t>(chirps_.size(), r.Chance(0.3) ? 40 : chirps_.size()))];
    t = c_.docs[parent].time + r.Int(60, 2 * kDay);
    if (r.Chance(0.5)) p.push_back(Plain("@" + c_.docs[parent].author));
    p.push_back(Plain(Sent("reply", r)));
  } else if (roll < 0.63) {
    p.push_back(Plain(Capitalize(g_.ExpandSlot("short_post", r))));
  } else {
    for (int k = r.Int(1, 2); k > 0; --k) p.push_back(Plain(Sent("post", r)));
  }
  if (r.Chance(0.06)) p.insert(p.begin(), Plain("@" + c_.accounts[r.Below(c_.accounts.size())]));
  for (int k = r.Chance(0.12) ? r.Int(1, 2) : 0; k > 0; --k) {
    p.push_back(Plain(g_.ExpandSlot("hashtag", r)));
  }
  if (r.Chance(0.1)) p.push_back(Plain(g_.ExpandSlot("emoji", r)));
  const int doc = AddChirp(account, t, std::move(p), parent);
  if (r.Chance(0.01)) c_.docs[doc].time_known = false;
}

}  // namespace echotrace::demo
