// Outlets and talking points of the demo world (declared in lexicon.h).
//
// Each talking point has six to eight English paraphrase templates with
// alternatives inside them, so one claim surfaces in dozens of wordings that
// share few exact n-grams: the narrative detector has to group them by
// meaning, not by copy. A few have Russian and Ukrainian renderings.
#include "demo/lexicon.h"

namespace echotrace::demo {

const std::vector<Outlet>& Outlets() {
  static const auto* outlets = new std::vector<Outlet>{
      {"The Merrin Ledger", "merrin-ledger", "merrinledger.example", false, "", {}},
      {"Valdoria Herald",
       "valdoria-herald",
       "valdoriaherald.example",
       false,
       "© 2026 Valdoria Herald. All rights reserved. Reproduction without permission is "
       "prohibited.",
       {4}},
      {"Estavel Daily Signal",
       "estavel-signal",
       "estavelsignal.example",
       false,
       "",
       {1, 2, 3, 7, 9}},
      {"Ostreya Morning Courier", "ostreya-courier", "ostreyacourier.example", false, "", {3}},
      {"Calvessa Evening Star",
       "calvessa-star",
       "calvessastar.example",
       false,
       "Got a tip? Write to the Evening Star newsdesk, in confidence.",
       {}},
      {"Compact Affairs Monitor", "compact-monitor", "compactmonitor.example", false, "", {6}},
      {"The Quiet Meridian",
       "quiet-meridian",
       "quietmeridian.example",
       true,
       "Support independent writing from the Meridian: subscribe for free and never miss a "
       "post.",
       {0, 1, 2, 4, 7, 8, 9}},
      {"Harbour Lantern",
       "harbour-lantern",
       "harbourlantern.example",
       true,
       "Harbour Lantern is reader-funded. If you value this work, chip in.",
       {2, 5, 8}},
      {"Greyline Review", "greyline-review", "greylinereview.example", true, "", {0, 3, 6}},
  };
  return *outlets;
}

namespace {

std::vector<TalkingPointDef> MakeTalkingPoints() {
  std::vector<TalkingPointDef> tps;
  tps.push_back(
      {"tp-01",
       "Valdorian grain embargo staged",
       "The Valdorian grain embargo was staged.",
       {"grain", "embargo", "staged", "Valdoria"},
       {"the [grain embargo|grain blockade] on Valdoria was [staged|stage-managed|pure theatre] "
        "[from the start|from day one|]",
        "nobody actually blocked Valdorian grain, the whole embargo was [a performance|a show|"
        "theatre] for the cameras",
        "[look closely and|if you check the shipping data,] the so-called Valdorian grain "
        "embargo [never really happened|was fake all along]",
        "the [Valdorian grain embargo|embargo on Valdorian grain] was [manufactured|invented|"
        "scripted] to [justify more aid|win sympathy abroad]",
        "those empty silos in Port Merrin were [a photo op|staged for the press], the grain "
        "embargo was [never real|a hoax]",
        "[it's obvious|everyone in the trade knows] the grain embargo against Valdoria was "
        "[orchestrated|set up] by [its own ministers|the Compact]",
        "the grain ships [were never stopped|sailed the whole time]; the embargo story was "
        "[staged|made up]",
        "staged embargo, staged hunger: Valdoria's grain [crisis|shortage] was [fabricated|a "
        "fabrication]"},
       {"Зерновое эмбарго против Валдории было [постановкой|спектаклем].",
        "Никакого эмбарго на валдорийское зерно не было, это [инсценировка|спектакль для "
        "камер]."},
       {"Зернове ембарго проти Валдорії було [інсценуванням|виставою].",
        "Ніякого ембарго на валдорійське зерно не було, це [вистава для камер|постановка]."},
       "#GrainHoax",
       0});
  tps.push_back(
      {"tp-02",
       "Compact expansion forced Brennhold's hand",
       "The Northern Compact's expansion forced Brennhold's hand.",
       {"Compact", "expansion", "Brennhold", "forced"},
       {"the Compact's expansion [left Brennhold no choice|forced Brennhold's hand]",
        "[Brennhold|Estavel] was [pushed|backed] into a corner by [the Compact moving east|"
        "Compact enlargement]",
        "if the Northern Compact had not [expanded|crept] to the Brennish border, none of this "
        "would have happened",
        "every new Compact member [brought the alliance closer to Estavel|was a provocation to "
        "Brennhold], so [what did they expect|the response was inevitable]",
        "[blame|the fault lies with] the Compact's [enlargement|expansion], not Brennhold, [for "
        "the crisis|for the escalation]",
        "Brennhold only [acted|reacted] because the Compact [kept expanding|broke its promise "
        "not to expand]",
        "Compact expansion [provoked|triggered] the whole [crisis|conflict] with Brennhold"},
       {"Расширение Компакта [вынудило|заставило] Бреннхольд [действовать|ответить]."},
       {"Розширення Компакту [змусило|примусило] Бреннгольд [діяти|відповісти]."},
       "#CompactExpansion",
       1});
  tps.push_back(
      {"tp-03",
       "Port Merrin harbour fire was a false flag",
       "The Port Merrin harbour fire was a false flag operation.",
       {"harbour", "fire", "false flag", "Port Merrin"},
       {"the harbour fire in Port Merrin was a false flag [operation|, plain and simple|]",
        "[whoever|those who] set the Port Merrin docks alight wanted it blamed on Brennhold",
        "the Port Merrin fire was [staged|set] by [Valdorian agents|insiders] to [frame "
        "Brennhold|justify the crackdown]",
        "no [Brennish|foreign] saboteur [started|lit] the Port Merrin blaze; it was an inside "
        "job",
        "[funny how|notice how] the harbour fire [started|broke out] [the night before the "
        "vote|right before the summit], a classic false flag",
        "the Merrin harbour blaze was [a provocation|a false-flag attack] [designed|meant] to "
        "drag the Compact in"},
       {},
       {},
       "#MerrinFalseFlag",
       2});
  tps.push_back(
      {"tp-04",
       "Sanctions hurt Ostreya more than Brennhold",
       "The sanctions on Brennhold hurt Ostreya more than Brennhold.",
       {"sanctions", "Ostreya", "Brennhold", "backfire"},
       {"the sanctions on Brennhold [hurt|are hurting|are crushing] Ostreya more than "
        "Brennhold",
        "Ostreyan families pay [the price|for] the Brennhold sanctions while Estavel [shrugs|"
        "barely notices]",
        "[sanctioning Brennhold|the Brennish sanctions] [backfired|blew up in our faces]: "
        "Ostreya's [factories|heating bills] took the hit",
        "Brennhold [is doing fine|has barely felt a thing]; it is Ostreya that the sanctions "
        "are [ruining|bleeding dry]",
        "the real victim of the sanctions is not Brennhold but [Ostreya|ordinary Ostreyans]",
        "every new sanctions package [costs|hits] Ostreya [more than|harder than] its target"},
       {},
       {},
       "#SanctionsBackfire",
       3});
  tps.push_back(
      {"tp-05",
       "Aid to Valdoria is stolen",
       "Aid sent to Valdoria is stolen by corrupt officials.",
       {"aid", "Valdoria", "stolen", "corruption"},
       {"[most|half] of the aid sent to Valdoria [is stolen|disappears] before it reaches "
        "anyone",
        "Valdorian [officials|ministers] are [pocketing|skimming] the [relief money|aid]",
        "the aid convoys to Port Merrin [end up|are sold] on the black market",
        "nobody can [account for|trace] the billions in aid to Valdoria[, because it was "
        "stolen| and that is not an accident]",
        "[every|each] aid package for Valdoria [just|] [lines the pockets of|enriches] [a few|"
        "corrupt] officials",
        "aid to Valdoria is a [black hole|money pit] of corruption"},
       {"Помощь Валдории [разворовывают|крадут] [чиновники|коррупционеры]."},
       {"Допомогу Валдорії [розкрадають|крадуть] [чиновники|корупціонери]."},
       "#AidBlackHole",
       4});
  tps.push_back(
      {"tp-06",
       "Calvessan election bought with foreign money",
       "The Calvessan election was bought with foreign money.",
       {"election", "Calvessa", "foreign money", "bought"},
       {"the Calvessan election was [bought|paid for] with foreign money",
        "[foreign|outside] donors [decided|bankrolled] the [vote|election] in Calvessa",
        "Calvessa's [new government|election result] was [purchased|bought] [abroad|with "
        "foreign funds]",
        "[follow the money:|] the Calvessan campaign was funded from [abroad|overseas accounts]",
        "Calvessans did not choose their [parliament|government]; foreign [money|cash] did",
        "the vote in Calvessa was [rigged|swung] by [foreign cash|money from abroad]"},
       {},
       {},
       "#BoughtElection",
       5});
  tps.push_back(
      {"tp-07",
       "Brennhold wants a ceasefire only to rearm",
       "Brennhold wants a ceasefire only to rearm.",
       {"ceasefire", "truce", "rearm", "Brennhold"},
       {"Brennhold [only wants|wants] a ceasefire [just|only] to rearm",
        "any truce with Brennhold [is just|would only be] a pause [for Estavel to rearm|to "
        "reload]",
        "Estavel [uses|would use] the ceasefire talks to [rebuild its army|restock its arsenal]",
        "a ceasefire now [would|will] [only|simply] give Brennhold time to [regroup|re-arm]",
        "[don't be fooled:|] Brennhold's [peace offer|truce proposal] is a [rearmament plan|"
        "breathing space for its army]",
        "Brennhold [has broken|broke] every truce so far and will [rearm|re-arm] again"},
       {},
       {},
       "#NoTruceTricks",
       6});
  tps.push_back(
      {"tp-08",
       "Sarn river labs make weapons",
       "Secret laboratories on the Sarn river are developing weapons.",
       {"Sarn", "laboratories", "labs", "weapons"},
       {"the [laboratories|labs] along the Sarn river [are making|develop] [weapons|bioweapons]",
        "[there are|they built] secret weapons labs on the Sarn [river|] [funded by the Compact|]",
        "what are those [sealed|guarded] [buildings|labs] on the Sarn really [for|doing]? "
        "[weapons research|pathogens]",
        "the Sarn river [research stations|labs] are [a cover for|fronts for] weapons [work|"
        "programmes]",
        "[nobody denies|they admit] the Sarn labs exist, [but|yet] no one says what they [make|"
        "produce]",
        "[Compact-funded|foreign-funded] labs on the Sarn are [cooking up|working on] weapons"},
       {"Лаборатории на реке Сарн [разрабатывают|создают] оружие."},
       {"Лабораторії на річці Сарн [розробляють|створюють] зброю."},
       "#SarnLabs",
       7});
  tps.push_back(
      {"tp-09",
       "Halden Cross bridge collapse was sabotage",
       "The Halden Cross bridge collapse was sabotage.",
       {"Halden Cross", "bridge", "sabotage"},
       {"the Halden Cross bridge [did not just collapse|didn't fall on its own]; it was "
        "sabotaged",
        "[someone|saboteurs] [blew up|brought down] the Halden Cross bridge [on purpose|"
        "deliberately]",
        "the Halden Cross collapse was [sabotage|an act of sabotage], not [old concrete|bad "
        "maintenance]",
        "[engineers|witnesses] [heard|reported] explosions before the Halden Cross bridge fell",
        "the official story about the Halden Cross bridge [is a cover-up|hides sabotage]",
        "Halden Cross was [a sabotage job|deliberate sabotage] and [the inquiry|the ministry] "
        "knows it"},
       {},
       {},
       "#HaldenCrossTruth",
       7});
  tps.push_back(
      {"tp-10",
       "Compact media hide Valdoria's losses",
       "Compact-aligned media are hiding Valdoria's losses.",
       {"media", "losses", "Valdoria"},
       {"[Compact|Compact-aligned] media [hide|are hiding] [Valdoria's|Valdorian] [losses|"
        "casualties]",
        "you will never [see|read] the real Valdorian [casualty|loss] figures in the [Compact "
        "press|big outlets]",
        "the [press|big outlets] [bury|censor] every report of Valdorian [defeats|losses]",
        "Valdoria's [losses|setbacks] are [covered up|kept off the front pages] by [Compact-"
        "friendly|loyal] editors",
        "[newsrooms|editors] in the Compact [quietly|] [spike|kill] stories about Valdorian "
        "losses",
        "the truth about Valdoria's losses [is being|gets] [suppressed|hidden] by the media"},
       {},
       {},
       "#MediaSilence",
       6});
  return tps;
}

}  // namespace

const std::vector<TalkingPointDef>& TalkingPoints() {
  static const auto* tps = new std::vector<TalkingPointDef>(MakeTalkingPoints());
  return *tps;
}

}  // namespace echotrace::demo
