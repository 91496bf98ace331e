// The demo world as data: word lists and templates (syntax in grammar.h).
//
// Templates are written so that organic text varies a lot (several slots per
// sentence, optional clauses, numbers) while planted text is copied from one
// generated instance, which is what makes the planted reuse detectable and
// the organic background mostly free of accidental reuse.
#include "demo/lexicon.h"

namespace echotrace::demo {
namespace {

void AddWorld(Grammar& g) {
  g.Add("country", {"Valdoria", "Brennhold", "Ostreya", "Calvessa", "Siravene"});
  g.Add("country_adj", {"Valdorian", "Brennish", "Ostreyan", "Calvessan", "Siravenian"});
  g.Add("city", {"Port Merrin", "Estavel", "Kallinbrook", "Sarnow Gate", "Tervasse", "Halden Cross",
                 "Mirovale", "Ashcombe Reach", "Dunmarrow", "Vell Harbour"});
  g.Add("street",
        {"Quay Lane", "Lantern Row", "Old Mill Street", "Harrow Avenue", "the Tessel market",
         "Copperfield Square", "the north pier", "Brightwater Road"});
  g.Add("weekday", {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"});
  g.Add("d", {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"});
  g.Add("num", {"[1|2|3|4|5|6|7|8|9]{d}", "[2|3|4|5|6|7|8|9]"});
  g.Add("pct", {"{num} percent", "{num}%"});
  g.Add("tonnes", {"{num},{d}00 tonnes", "{num} thousand tonnes", "[1|2|3].{d} million tonnes"});
  g.Add("money", {"{num} million [crowns|marks]", "[1|2|3|4].{d} billion [crowns|marks]"});
  g.Add("official",
        {"President Aurel Vantesse", "Chancellor Mirek Holtberg", "Foreign Minister Ilsa Varnholt",
         "Prime Minister Dagna Orrel", "Compact Secretary Tobin Arkwell", "Senator Lusa Ferrant",
         "General Petra Haskov", "Mayor Enzo Carridge", "Trade Commissioner Halvard Prenn",
         "Deputy Minister Sorel Anvik", "Ambassador Hedda Kroll"});
  g.Add("body", {"the Concord Council", "the Compact assembly", "the Valdorian parliament",
                 "the Brennish foreign ministry", "the Ostreyan cabinet", "the Calvessan senate",
                 "the Merrin port authority"});
  g.Add("team", {"Merrin Gulls", "Estavel Rovers", "Kallinbrook Athletic", "Tervasse Lynx",
                 "Sarnow Gate Harriers"});
  g.Add("emoji", {"🔥", "👀", "🙏", "😂", "⚠️", "📢", "✅", "🤔", "💯", "😡", "🌾", "⚓", "😢", "👇"});
  g.Add("hashtag", {"#Valdoria", "#PortMerrin", "#Brennhold", "#Compact", "#Ostreya", "#Calvessa",
                    "#grain", "#news", "#breaking", "#HaldenCross", "#truth", "#Estavel"});
  g.Add("first_name", {"Mara",  "Tobias",  "Lena", "Oskar", "Ines",  "Rafe",  "Yulen",
                       "Sanna", "Corin",   "Edda", "Pim",   "Alvar", "Nessa", "Teodor",
                       "Brisa", "Kasimir", "Liv",  "Joran", "Elke",  "Dario"});
  g.Add("last_name", {"Ilvestri", "Marrowby", "Tessane", "Kolvar", "Anbright", "Degrave", "Hollin",
                      "Vasteny", "Orrick", "Pellam", "Saverin", "Quillon", "Brandt-Osse",
                      "Lindqvar", "Moravec-Tal", "Fennick"});
  g.Add("handle_a", {"merrin", "gull", "harbour", "north",  "quiet", "grain",  "river",   "lantern",
                     "old",    "salt", "iron",    "copper", "tide",  "kallin", "estavel", "fern",
                     "ash",    "vell", "dun",     "mill",   "amber", "stone",  "raven",   "pine"});
  g.Add("handle_b", {"watcher", "notes", "voice", "daily", "walker", "reader", "fan",
                     "keeper",  "talk",  "owl",   "fox",   "bird",   "news",   "view",
                     "mum",     "dad",   "lad",   "smith", "writes", "hq"});
  g.Add("forum_user_a", {"Old", "Grey", "Red", "Salty", "Lazy", "Mad", "Quiet", "Iron", "Tired",
                         "Happy", "Stubborn"});
  g.Add("forum_user_b", {"Ferryman", "Miller", "Tanker", "Skeptic", "Pilgrim", "Badger", "Oracle",
                         "Harbourmaster", "Cartographer", "Lamplighter", "Weaver"});
}

void AddPosts(Grammar& g) {
  g.Add("weather", {"[rain|fog|sleet|wind] [again|all day|since dawn]",
                    "[glorious|bright|bitter] "
                    "[sunshine|cold|morning]",
                    "[grey skies|a proper storm] over the [harbour|hills]"});
  g.Add(
      "post_daily",
      {"[morning|evening] [commute|walk|ferry] through {city} [took forever|was lovely|was pure "
       "chaos|was oddly quiet] [today|again|this week]",
       "{weather} in {city}[. Not complaining.|. Typical.|, of course.|]",
       "anyone know a [decent|cheap|reliable] [bakery|tailor|bike shop|dentist|mechanic] near "
       "{street} in {city}?",
       "the {team} [won|lost|drew] [again|on {weekday}|at home] [and I need a drink|, what a "
       "season|, unbelievable|, as expected]",
       "[queue|line] at the {street} [pharmacy|post office|bakery] was [{num} people deep|out the "
       "door] [this morning|at lunch]",
       "[finally|just] [finished|started] [a book|the new series|painting the kitchen|my tax "
       "forms] [, send help|, no regrets|. Weekend well spent|]",
       "[tram|bus|ferry] [strike|delays|diversions] in {city} [again|until {weekday}|all week]. "
       "[Walking it is.|Great.|Brilliant planning.|]",
       "the [fish market|night market|flower market] on {street} is [back|open late|packed] "
       "[this weekend|tonight|again]"});
  g.Add("post_econ",
        {"[bread|fuel|rent|coffee|electricity] in {city} [went up|is up] [again|by {pct}] [this "
         "month|since {weekday}]. [How is anyone coping?|Who is this for?|Wages haven't moved.|]",
         "[my|our] [heating|power|water] bill [doubled|jumped by {pct}] [this winter|since the "
         "autumn][, lovely.|.|, and nobody explains why.]",
         "the {country_adj} [crown|mark] [fell|slid|recovered] [again|{pct}] against the [mark|"
         "crown] [today|this week]",
         "[half|most] of the shops on {street} have [closed|shut for good] [since spring|this "
         "year][, it's grim.|.]"});
  g.Add("post_politics",
        {"[honestly|frankly|imo|not gonna lie], the [new port tax|budget|pension reform|transport "
         "plan] [is a mess|seems overdue|is the right call|will backfire]",
         "{official} [spoke|was speaking] in {city} [today|on {weekday}] and said [absolutely "
         "nothing|very little|more than I expected]",
         "watching the {body} debate [and|.] [what a circus|some good points for once|my head "
         "hurts]",
         "[the|that] interview with {official} [was painful|aged badly|was actually good][.|, "
         "watch it.|, thoughts?]",
         "[why|how] does {body} [need|take] {num} [weeks|months] to [agree on|publish] [a|one] "
         "[report|statement|budget]?",
         "[so|apparently] {official} [will visit|is visiting|cancelled a trip to] {city} "
         "[next week|on {weekday}|tomorrow]"});
  g.Add("post_culture",
        {"the Tervasse Film Week lineup is [out|great|weirdly short] [this year|]",
         "[saw|caught] [a gig|a play|the choir] at the {city} [old hall|opera|arts centre] "
         "[last night|on {weekday}][, still buzzing.|, stunning.|.]",
         "[new|old] [mural|statue|fountain] on {street} [looks amazing|is a disaster|is "
         "growing on me]",
         "[recommend|reading] [a novel|a memoir|poetry] by {first_name} {last_name} [, "
         "beautiful.|, slow but worth it.|]"});
  g.Add("post", {"{post_daily}", "{post_daily}", "{post_econ}", "{post_politics}",
                 "{post_politics}", "{post_culture}"});
  g.Add("short_post",
        {"[bridge|ferry|tram] traffic in {city} is [a nightmare|insane] [today|tonight]",
         "[can't believe|unreal,] the {team} [lost|won] [again|at home] [tonight|]",
         "power [cut|outage] across {city} [again|this evening|right now]",
         "{official} [should resign|needs to go|must answer] [now|today]",
         "[big|huge] protest [forming|gathering] outside {body} [right now|tonight]",
         "grain prices [up again|through the roof] in {city} [today|]",
         "sirens all over {city} [right now|tonight], anyone know why?"});
  g.Add("reply", {"[this|so much this|exactly]", "[source?|got a source for that?|citation needed]",
                  "[no way|come on|seriously?]", "[agreed|true|fair point], [sadly|honestly|]",
                  "[lol|haha] [no|okay]", "[same here|same] in {city}",
                  "[that's not|this isn't] what {official} said", "[thanks for posting|saved]"});
  g.Add("link_comment", {"[worth a read|read this|long read|this is important|wow|hmm]",
                         "[interesting piece|good piece|strong piece] [on {country}|from {city}|]",
                         "[everyone should read this|must read]",
                         "[well|] [this explains a lot|"
                         "not what I expected]"});
  g.Add("lead_in", {"", "", "[honestly|look|frankly],",
                    "[people need to hear this:|say it "
                    "louder:|let's be clear:|I keep saying it:]",
                    "[fact:|truth:|reminder:]", "[it's simple:|wake up:]"});
  g.Add("tp_tail", {"", "", "",
                    "[Share this.|Spread the word.|Think about it.|Nobody will say "
                    "it on TV.|Remember that.]"});
}

void AddCyrillic(Grammar& g) {
  g.Add("ru_city", {"Порт-Меррине", "Эставеле", "Каллинбруке", "Тервассе"});
  g.Add("uk_city", {"Порт-Меррині", "Еставелі", "Каллінбруку", "Тервассі"});
  g.Add("post_ru",
        {"Цены на [хлеб|бензин|аренду] в {ru_city} снова [выросли|поднялись], а [власти|"
         "чиновники] молчат.",
         "Кто-нибудь знает, когда [откроют мост|пустят паром|починят дорогу] в {ru_city}?",
         "[Вчера|Сегодня] в {ru_city} [опять|снова] [отключили свет|не было воды|шёл снег].",
         "[Читаю|Прочитал] новости про [Валдорию|Бреннхольд|Острею] и [не понимаю|удивляюсь], "
         "что [происходит|будет дальше]."});
  g.Add("post_uk",
        {"[Сьогодні|Вчора] в {uk_city} [знову|знов] [відключили світло|не було води|йшов "
         "дощ].",
         "Хтось знає, коли [відкриють міст|запустять пором|відремонтують дорогу] в {uk_city}?",
         "Ціни на [хліб|пальне|оренду] в {uk_city} [знову зросли|ростуть щотижня].",
         "[Читаю|Прочитала] новини про [Валдорію|Бреннгольд|Острею] і [не розумію|дивуюся], що "
         "[відбувається|буде далі]."});
}

void AddForum(Grammar& g) {
  g.Add("forum_opener", {"[Long time lurker here.|Posting this here because nobody else will.|"
                         "Genuine question for the thread.|Okay, hear me out.|Not sure where "
                         "else to put this.]",
                         "[Thread about|Can we talk about] [the situation "
                         "in {city}|what {official} said|the {body} vote]?"});
  g.Add(
      "forum_sentence",
      {"[I've lived in|My family is from|I worked for years in] {city}, and [nobody there|"
       "people there] [believes the official line|talks about anything else|cares about the "
       "{body}].",
       "The so-called \"[peace plan|reform package|transparency rules]\" is [a joke|window "
       "dressing|better than nothing], [frankly|honestly|if we're honest].",
       "[Read|Look at] the [actual|full] [statement|report|transcript] from {body}, not the "
       "[headlines|summaries], it says [something else|the opposite|much less].",
       "{official} [promised|said] \"[no new taxes|the port will reopen|talks in good "
       "faith]\", and [here we are|we all know how that went|that was {num} weeks ago].",
       "[Prices|Rents|Fuel costs] in {city} are up {pct} [since last year|in a year], and "
       "wages [are flat|went nowhere].",
       "[My cousin|A friend|My neighbour] in {city} says [the queues|the patrols|the power "
       "cuts] are [worse|better] than [the news admits|last winter].",
       "[Not defending anyone, but|To be fair,|In fairness,] {country} [has|had] [its own|"
       "real] [reasons|problems] [here|with this].",
       "[Source|Link] is in the [thread above|first post], [scroll up|read it before replying]."});
  g.Add("forum_closer", {"[Edit: typo.|Edit: added a link.|Just my two crowns.|Change my mind.|"
                         "Prove me wrong.|Anyway, rant over.|Thoughts?]"});
  g.Add("quote_intro", {"[As|] {outlet_ref} [reported|wrote|put it] [on {weekday}|this week|"
                        "earlier|]:",
                        "[Here is what|This is what] {outlet_ref} [published|wrote]:",
                        "{outlet_ref}, [quoted in full|verbatim]:",
                        "[According to|Per] "
                        "{outlet_ref}:"});
  g.Add("edit_insert", {"reportedly", "also", "now", "indeed", "apparently", "still", "again"});
}

void AddArticles(Grammar& g) {
  g.Add("time_ref", {"on {weekday}", "this week", "late on {weekday}", "earlier this month",
                     "over the weekend"});
  g.Add("said", {"said", "told reporters", "insisted", "confirmed", "warned", "claimed"});
  g.Add("art_generic",
        {"{official} {said} {time_ref} that [the government|the ministry|the council] would "
         "[review|publish|revisit] [its figures|the agreement|the findings] [within {num} days|by "
         "the end of the month|before the summit].",
         "[Analysts|Diplomats|Officials] in {city} [expect|fear|doubt] [further talks|a new "
         "round of talks|a quick deal] [before {weekday}|this month|before the winter].",
         "[The figures|Those numbers|The estimates] [for {city}|cited by {official}|from the "
         "{street} office] [could not be independently verified|were disputed by {body}|were "
         "later revised by {pct}].",
         "[Speaking|Writing] [in {city}|from {city}|after a closed session], {official} "
         "[called|judged] the [decision|proposal|report] [a mistake|overdue|a turning "
         "point|premature] [, adding that {body} had been warned|].",
         "{body} [spokesperson {first_name} {last_name}|press office] [declined to comment|did "
         "not respond to questions|promised an answer by {weekday}] [when asked about {city}|].",
         "[Residents|Traders|Dock workers] in {city} [said|told this outlet] they [had heard "
         "nothing|were preparing for the worst|had been waiting for {num} days] [since "
         "{weekday}|about {official}'s plan|after the {street} meeting|].",
         "[Last year|In the spring|Two years ago], a similar [dispute|plan|inquiry] [in {city}|"
         "over {country}|] [collapsed|stalled|took {num} months] [after|amid] [disagreements over "
         "funding|a change of "
         "government|protests in {city}]."});
  g.Add("art_closing", {"[Further|New] talks [between {country} and {country}|on {city}|] "
                        "are [scheduled|expected] [for {weekday}|next month|in {city}].",
                        "{body} will [meet|vote] again [on {weekday}|next "
                        "week|before the end of the month].",
                        "[This story|This report] will be "
                        "updated."});
  // Topic 0: grain.
  g.Add("title_grain", {"[Grain|Wheat] [shipments|exports] from {city} [stall|resume|halved] "
                        "[amid|after] [embargo dispute|new inspections|port closure]",
                        "[What the|Inside the] Valdorian grain [embargo|standoff] [means|costs]"});
  g.Add("lead_grain",
        {"Grain exports from Port Merrin [fell|dropped|recovered] by {pct} in "
         "[the first weeks of the embargo|February|a single month], {official} "
         "{said} {time_ref}.",
         "[Ships|Freighters] carrying {tonnes} of "
         "[wheat|barley|grain] [remained|sat] [anchored|idle] off {city} {time_ref}."});
  g.Add("body_grain", {"[Inspectors|Port officials] [counted|registered] {num} [vessels|"
                       "freighters] [waiting|queued] [outside|near] the harbour.",
                       "Bread "
                       "prices in {city} [rose|climbed] by {pct} [since the embargo began|in "
                       "{num} days].",
                       "The embargo [covers|was extended to] {tonnes} of "
                       "[wheat|maize|barley] [a month|this season].",
                       "[Millers|Bakers] in "
                       "{city} [said|warned] their [stocks|reserves] would last [{num} days|"
                       "until {weekday}]."});
  // Topic 1: the Compact.
  g.Add("title_compact", {"[Compact|Alliance] [summit|ministers] [weigh|back|delay] "
                          "[membership bids|new members|eastern plan]",
                          "[Why|How] the "
                          "Northern Compact [grew|expanded] [east|toward Brennhold]"});
  g.Add("lead_compact", {"The Northern Compact [will consider|approved|postponed] the "
                         "membership bid of {country} {time_ref}, {official} {said}.",
                         "Compact ministers meeting in {city} [agreed|failed to agree] on "
                         "[new deployments|a joint statement|the next enlargement] {time_ref}."});
  g.Add("body_compact", {"{official} [called|described] the move [a provocation|a "
                         "threat|a breach of earlier promises] {time_ref}.",
                         "[Several|A handful of|Most] [members|governments] "
                         "[backed|opposed] the [proposal|bid] [of {country}|] [in a closed vote|"
                         "after hours of debate] [on {weekday}|in {city}].",
                         "The Compact [currently has|counts] {num} members "
                         "[after its last enlargement|since the spring]."});
  // Topic 2: the Port Merrin harbour fire.
  g.Add("title_harbour", {"[Fire|Blaze] [at|in] Port Merrin harbour[: questions remain| "
                          "investigated| still smouldering]",
                          "[Who|What] started the Port "
                          "Merrin [fire|blaze]?"});
  g.Add("lead_harbour", {"A fire [destroyed|damaged] {num} [warehouses|cranes|berths] at Port "
                         "Merrin harbour {time_ref}, {official} {said}.",
                         "Investigators "
                         "[are still examining|have sealed off] the [north pier|grain "
                         "terminal|fuel depot] in Port Merrin after [the fire|the blaze]."});
  g.Add("body_harbour", {"[Firefighters|Crews] from {city} [needed|took] {num} hours to "
                         "[contain|put out] the [flames|blaze].",
                         "[Damage at the {street} berths was|Losses "
                         "were] estimated at {money} by {body}.",
                         "[Witnesses|Dock workers|A night guard] [in {city}|on "
                         "{street}|] [described|reported] [two|{num}|several] [explosions|loud "
                         "bangs] [shortly before|just after] [midnight|dawn] {time_ref}."});
  // Topic 3: sanctions.
  g.Add("title_sanctions", {"[New|Fresh] sanctions on Brennhold [take effect|split "
                            "ministers|hit Ostreyan exporters]",
                            "[Counting|Weighing] the "
                            "cost of the Brennhold sanctions"});
  g.Add("lead_sanctions", {"Ostreyan exports to Brennhold [fell|collapsed|shrank] by {pct} "
                           "[after the latest sanctions|in the first quarter], {official} "
                           "{said}.",
                           "{body} [adopted|debated] a [new|ninth|further] "
                           "sanctions package against Brennhold {time_ref}."});
  g.Add("body_sanctions", {"[Heating|Fuel|Fertiliser] costs in Ostreya [rose|jumped] {pct} "
                           "[this winter|since the autumn].",
                           "The package [freezes|targets] "
                           "{money} in Brennish [assets|bank accounts].",
                           "[Exporters|"
                           "Farmers] in {city} [asked for|demanded] [compensation|relief] "
                           "worth {money}."});
  // Topic 4: aid.
  g.Add("title_aid", {"[Aid|Relief] [convoy|package] for Valdoria [approved|delayed|arrives]",
                      "[Tracking|Auditing] the aid sent to Valdoria"});
  g.Add("lead_aid", {"A [relief|aid] package worth {money} for Valdoria was [approved|signed|"
                     "delayed] {time_ref}, {official} {said}.",
                     "{num} [trucks|lorries] of "
                     "[food|medicine|winter supplies] [reached|left for] {city} {time_ref}."});
  g.Add("body_aid", {"Auditors [reviewed|traced] {pct} of [the funds|last year's aid] [so "
                     "far|by {weekday}].",
                     "[Donors|The Compact] [pledged|released] a further "
                     "{money}.",
                     "[Distribution|Delivery] [points|centres] in {city} [served|"
                     "reached] {num},{d}00 families [last month|this week]."});
  // Topic 5: the Calvessan election.
  g.Add("title_election", {"Calvessa [votes|counts|decides]: [results|turnout|the new "
                           "parliament]",
                           "[Campaign|Party] finance [questions|rules] in "
                           "Calvessa"});
  g.Add("lead_election", {"Turnout in the Calvessan election reached {pct}, {official} "
                          "{said} {time_ref}.",
                          "The [Calvessan|Calvessa] electoral "
                          "commission [published|certified|delayed] the [final results|"
                          "count] {time_ref}."});
  g.Add("body_election", {"Campaign [spending|donations] [reached|exceeded] {money}.",
                          "[The "
                          "winning|The ruling|The opposition] party took {num} of {num}0 "
                          "seats.",
                          "[Observers|Monitors] [reported|logged] {num} "
                          "[complaints|irregularities] in {city}."});
  // Topic 6: ceasefire talks.
  g.Add("title_talks", {"[Ceasefire|Truce] talks [resume|stall|open] in {city}",
                        "[Can|Will] "
                        "a Brennhold truce hold?"});
  g.Add("lead_talks", {"[Negotiators|Envoys] from Brennhold and Valdoria [met|failed to meet|"
                       "will meet] in {city} {time_ref}, {official} {said}.",
                       "A [proposed|"
                       "draft] ceasefire [would freeze|would pause] fighting along the Sarn "
                       "river for {num} days."});
  g.Add("body_talks", {"[The draft|The text|A version of the text] [seen by this outlet|"
                       "circulated in {city}|shared with {body}] [includes|omits] [a prisoner "
                       "exchange|monitoring by {body}|a buffer zone of {num} kilometres].",
                       "[Both sides|Each side] [accused the other of|blamed the other for] "
                       "[violations|shelling] [near|around] {city} {time_ref}.",
                       "Previous "
                       "[truces|ceasefires] [near {city}|along the Sarn|agreed in {city}] "
                       "[lasted|held for] [{num} days|less than a week|{num} hours]."});
  // Topic 7: infrastructure (the Sarn river, Halden Cross bridge).
  g.Add("title_infra", {"[Halden Cross bridge|Sarn river works] [inquiry|repairs|report] "
                        "[opens|delayed|published]",
                        "[Questions|Answers] over the Sarn river "
                        "[stations|labs|dams]"});
  g.Add("lead_infra", {"[Engineers|Inspectors] [began|completed] [an inquiry|repairs] at "
                       "[the Halden Cross bridge|the Sarn river stations] {time_ref}, {official} "
                       "{said}.",
                       "The [collapse|closure] of the Halden Cross bridge [cut|"
                       "lengthened] [freight|commuter] routes by {num} kilometres."});
  g.Add("body_infra", {"The [bridge|station] was [built|last inspected] [in 19{num}|{num} "
                       "years ago].",
                       "[Repairs|Reconstruction] [will cost|are estimated at] "
                       "{money}.",
                       "[Residents|Commuters] in {city} [face|now face] [detours|"
                       "delays] of {num} minutes."});
}

}  // namespace

const std::vector<ArticleTopic>& ArticleTopics() {
  static const auto* topics = new std::vector<ArticleTopic>{
      {"grain", "lead_grain", "body_grain", "title_grain"},
      {"compact", "lead_compact", "body_compact", "title_compact"},
      {"harbour", "lead_harbour", "body_harbour", "title_harbour"},
      {"sanctions", "lead_sanctions", "body_sanctions", "title_sanctions"},
      {"aid", "lead_aid", "body_aid", "title_aid"},
      {"election", "lead_election", "body_election", "title_election"},
      {"talks", "lead_talks", "body_talks", "title_talks"},
      {"infrastructure", "lead_infra", "body_infra", "title_infra"},
  };
  return *topics;
}

Grammar BuildGrammar() {
  Grammar g;
  AddWorld(g);
  AddPosts(g);
  AddCyrillic(g);
  AddForum(g);
  AddArticles(g);
  std::vector<std::string> refs;
  for (const auto& o : Outlets()) refs.push_back(o.name);
  g.Add("outlet_ref", refs);
  g.Add("share_line", {"Share this: Chirp · Forum · Email · Print",
                       "Click to share on Chirp "
                       "(opens in new window)",
                       "Like this: Like Loading..."});
  return g;
}

const std::vector<std::string>& DistractorClaims() {
  static const auto* claims = new std::vector<std::string>{
      "Siravene secretly sold its gold reserves to Ostreya.",
      "The Tervasse Film Week was cancelled because of a bomb threat.",
      "Mayor Enzo Carridge owns three ferries in Vell Harbour.",
      "Dunmarrow's tap water was poisoned by a chemical plant.",
      "The Merrin Gulls were bought by a Calvessan oligarch.",
      "Kallinbrook banned cash payments last winter.",
      "The Concord Council plans to abolish the crown.",
      "Ashcombe Reach was evacuated after a dam failure.",
  };
  return *claims;
}

}  // namespace echotrace::demo
