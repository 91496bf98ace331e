// The HTML shells of the report and of the live UI (docs/api.md, "The report
// file"), and the escaping that keeps corpus text inert inside them.
//
// Threat model: every string of the bundle came from the corpus and may be
// hostile. The bundle goes into a <script type="application/json"> element,
// whose content ends at the first "</script"; so every '<', '>' and '&' of
// the JSON is written as a \u escape (valid JSON anywhere it can occur, since
// outside strings JSON never holds these characters), and U+2028/U+2029 too,
// for tools that read the JSON as JavaScript. The app then reads it with
// JSON.parse and puts text into the page with textContent only.
// Pure functions, thread-safe.
#ifndef ECHOTRACE_WEB_HTML_H_
#define ECHOTRACE_WEB_HTML_H_

#include <string>
#include <string_view>

#include "echotrace/web.h"
#include "util/html_escape.h"  // EscapeHtml, used beside these

namespace echotrace::web {

// `json` with '<', '>', '&', U+2028 and U+2029 as \u003c, \u003e, \u0026,
// \u2028, \u2029. Precondition: `json` is JSON text (the characters occur
// only inside strings, where the escapes mean the same).
std::string EscapeJsonForScript(std::string_view json);

// The app's script made safe to inline: "</script" (any case) becomes
// "<\/script" and "<!--" becomes "\x3C!--", which mean the same in JavaScript
// strings, templates, regular expressions and comments but cannot end or
// re-open the script element.
std::string InlineSafeScript(std::string_view js);
// The same for styles: "</style" (any case) becomes "<\/style".
std::string InlineSafeStyle(std::string_view css);

// The CSP source expression 'sha256-BASE64' of an inline script's text.
std::string CspScriptHash(std::string_view script);

// The report: the app inlined, the bundle (JSON, escaped here) in et-data,
// and a Content-Security-Policy that allows only the inline script with
// this exact hash. `store_name` goes into the title (escaped).
std::string RenderReportHtml(std::string_view bundle_json, const WebAssets& assets,
                             std::string_view store_name);

// The live shell served at "/": only {"meta":...} in et-data, the app from
// /app.js and /app.css. kLiveCsp is also sent as a header (there with
// "frame-ancestors 'none'", which a meta element cannot carry).
std::string RenderLiveHtml(std::string_view meta_json, std::string_view store_name);
extern const char kLiveCsp[];

}  // namespace echotrace::web

#endif  // ECHOTRACE_WEB_HTML_H_
