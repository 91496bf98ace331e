#include "web/html.h"

#include <gtest/gtest.h>

#include <string>

#include "util/json.h"
#include "web/sha256.h"

namespace echotrace::web {
namespace {

size_t Count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t i = s.find(what); i != std::string::npos; i = s.find(what, i + 1)) ++n;
  return n;
}

TEST(EscapeJsonForScript, HostileTextCannotCloseTheElement) {
  std::string json;
  AppendJsonString(
      "</script><script>alert(1)</script> <img src=x onerror=alert(1)> & \xE2\x80\xA8|"
      "\xE2\x80\xA9|\xE2\x82\xAC",
      &json);
  std::string e = EscapeJsonForScript(json);
  EXPECT_EQ(e.find('<'), std::string::npos);
  EXPECT_EQ(e.find('>'), std::string::npos);
  EXPECT_EQ(e.find('&'), std::string::npos);
  EXPECT_EQ(e.find("\xE2\x80\xA8"), std::string::npos);
  EXPECT_EQ(e.find("\xE2\x80\xA9"), std::string::npos);
  EXPECT_NE(e.find("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"), std::string::npos);
  EXPECT_NE(e.find("\\u003cimg src=x onerror=alert(1)\\u003e \\u0026 \\u2028|\\u2029|"
                   "\xE2\x82\xAC"),  // other characters stay as they are
            std::string::npos);
}

TEST(EscapeHtml, AllFive) {
  EXPECT_EQ(EscapeHtml("<a href=\"x\">'&'"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;");
}

TEST(InlineSafeScript, CannotEndOrReopenTheScript) {
  EXPECT_EQ(InlineSafeScript("var s = \"</SCRIPT>\"; var c = '<!--';"),
            "var s = \"<\\/SCRIPT>\"; var c = '\\x3C!--';");
  EXPECT_EQ(InlineSafeStyle("a{content:\"</style>\"}"), "a{content:\"<\\/style>\"}");
  EXPECT_EQ(InlineSafeScript("a < b"), "a < b");
}

TEST(RenderReportHtml, ShellHashAndEscapedBundle) {
  const std::string js = "document.body.dataset.ok = '1'; /* </script> */";
  const std::string css = "body{color:red}";
  std::string bundle = "{\"meta\":{},\"docs\":{\"1\":{\"text\":";
  AppendJsonString("</script><script>alert(1)</script>", &bundle);
  bundle += "}}}";
  const std::string html = RenderReportHtml(bundle, WebAssets{js, css}, "a<b>.db");
  EXPECT_EQ(html.rfind("<!doctype html>", 0), 0u);
  // Exactly the two script elements of the shell end.
  EXPECT_EQ(Count(html, "</script>"), 2u);
  EXPECT_EQ(Count(html, "<script"), 2u);
  EXPECT_NE(html.find("<title>echotrace report — a&lt;b&gt;.db</title>"), std::string::npos);
  EXPECT_NE(html.find("<style>body{color:red}</style>"), std::string::npos);
  // The policy names the hash of the script as inlined.
  const std::string inlined = InlineSafeScript(js);
  const size_t at = html.find("<script>") + 8;
  EXPECT_EQ(html.substr(at, inlined.size()), inlined);
  EXPECT_NE(html.find("script-src " + CspScriptHash(inlined) + ";"), std::string::npos);
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(html.find("<script id=\"et-data\" type=\"application/json\">{\"meta\":{}"),
            std::string::npos);
}

TEST(RenderLiveHtml, LoadsTheAppFromTheServer) {
  const std::string html = RenderLiveHtml("{\"mode\":\"live\",\"store\":\"</script>\"}", "x.db");
  EXPECT_NE(html.find("<script src=\"/app.js\"></script>"), std::string::npos);
  EXPECT_NE(html.find("<link rel=\"stylesheet\" href=\"/app.css\">"), std::string::npos);
  EXPECT_NE(html.find("{\"meta\":{\"mode\":\"live\",\"store\":\"\\u003c/script\\u003e\"}}"),
            std::string::npos);
  EXPECT_NE(html.find("script-src 'self'"), std::string::npos);
}

}  // namespace
}  // namespace echotrace::web
