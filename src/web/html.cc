#include "web/html.h"

#include <cctype>

#include "web/sha256.h"

namespace echotrace::web {

const char kLiveCsp[] =
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; img-src 'self' data: blob:; worker-src blob:; base-uri 'none'; "
    "form-action 'none'";

std::string EscapeJsonForScript(std::string_view json) {
  std::string out;
  out.reserve(json.size() + json.size() / 16);
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      case '\xE2':
        // U+2028 / U+2029 are E2 80 A8 / E2 80 A9.
        if (i + 2 < json.size() && json[i + 1] == '\x80' &&
            (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
          out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
          i += 2;
        } else {
          out += c;
        }
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

// True when `s` at `i` starts with `word`, ASCII case-insensitively.
bool StartsWithNoCase(std::string_view s, size_t i, std::string_view word) {
  if (s.size() - i < word.size()) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    if (std::tolower(static_cast<unsigned char>(s[i + k])) != word[k]) return false;
  }
  return true;
}

std::string InlineSafe(std::string_view text, std::string_view closing, bool comments) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<' && StartsWithNoCase(text, i, closing)) {
      out += "<\\/";
      ++i;  // the '/' is written as "\/"
      continue;
    }
    if (comments && text[i] == '<' && text.substr(i, 4) == "<!--") {
      out += "\\x3C";
      continue;
    }
    out += text[i];
  }
  return out;
}

std::string Head(std::string_view csp, std::string_view title) {
  std::string h =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"";
  h += csp;  // ours: directives and base64, never a quote, '&' or '<'
  h += "\">\n<title>";
  h += EscapeHtml(title);
  h += "</title>";
  return h;
}

}  // namespace

std::string InlineSafeScript(std::string_view js) { return InlineSafe(js, "</script", true); }
std::string InlineSafeStyle(std::string_view css) { return InlineSafe(css, "</style", false); }

std::string CspScriptHash(std::string_view script) {
  auto d = Sha256(script);
  return "'sha256-" + Base64(std::string_view(reinterpret_cast<const char*>(d.data()), d.size())) +
         "'";
}

std::string RenderReportHtml(std::string_view bundle_json, const WebAssets& assets,
                             std::string_view store_name) {
  const std::string js = InlineSafeScript(assets.js);
  const std::string csp = "default-src 'none'; script-src " + CspScriptHash(js) +
                          "; style-src 'unsafe-inline'; img-src data: blob:; worker-src blob:; "
                          "base-uri 'none'; form-action 'none'";
  std::string html = Head(csp, "echotrace report — " + std::string(store_name));
  html.reserve(bundle_json.size() + js.size() + assets.css.size() + 1024);
  html += "<style>";
  html += InlineSafeStyle(assets.css);
  html += "</style></head>\n<body><div id=\"app\"></div>\n";
  html += "<script id=\"et-data\" type=\"application/json\">";
  html += EscapeJsonForScript(bundle_json);
  html += "</script>\n<script>";
  html += js;
  html += "</script></body></html>\n";
  return html;
}

std::string RenderLiveHtml(std::string_view meta_json, std::string_view store_name) {
  std::string html = Head(kLiveCsp, "echotrace — " + std::string(store_name));
  html += "<link rel=\"stylesheet\" href=\"/app.css\"></head>\n<body><div id=\"app\"></div>\n";
  html += "<script id=\"et-data\" type=\"application/json\">{\"meta\":";
  html += EscapeJsonForScript(meta_json);
  html += "}</script>\n<script src=\"/app.js\"></script></body></html>\n";
  return html;
}

}  // namespace echotrace::web
