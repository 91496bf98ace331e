#include "web/http.h"

#include <gtest/gtest.h>

#include <string>

namespace echotrace::web {
namespace {

TEST(FindHeadEnd, CrlfAndBareLf) {
  EXPECT_EQ(FindHeadEnd("GET / HTTP/1.1\r\nHost: x\r\n\r\nrest"), 27u);
  EXPECT_EQ(FindHeadEnd("GET / HTTP/1.1\n\n"), 16u);
  EXPECT_EQ(FindHeadEnd("GET / HTTP/1.1\r\nHost: x\r\n"), 0u);
  EXPECT_EQ(FindHeadEnd(""), 0u);
}

TEST(ParseRequestHead, PathQueryAndHeaders) {
  auto r = ParseRequestHead(
      "GET /api/search?q=a%20b+c&k=5&&x= HTTP/1.1\r\nHost: localhost:8080\r\nX-A:  v \r\n\r\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->method, "GET");
  EXPECT_EQ(r->path, "/api/search");
  ASSERT_EQ(r->query.size(), 3u);
  EXPECT_EQ(r->query[0].first, "q");
  EXPECT_EQ(r->query[0].second, "a b c");
  EXPECT_EQ(r->query[1].second, "5");
  EXPECT_EQ(r->query[2].first, "x");
  EXPECT_EQ(r->query[2].second, "");
  EXPECT_EQ(r->Header("host").value_or(""), "localhost:8080");
  EXPECT_EQ(r->Header("x-a").value_or(""), "v");
  EXPECT_FALSE(r->Header("missing").has_value());
}

TEST(ParseRequestHead, RejectsMalformed) {
  const char* bad[] = {
      "",
      "\r\n\r\n",
      "GET\r\n\r\n",
      "GET /\r\n\r\n",
      "GET / HTTP/2.0\r\n\r\n",
      "GET  / HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /a%4 HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /%ff HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /?q=%00 HTTP/1.1\r\nHost: x\r\n\r\n",
      "GE(T / HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nNo colon\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\n: empty name\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n folded\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nA: b\x01\r\n\r\n",
  };
  for (const char* b : bad) {
    EXPECT_FALSE(ParseRequestHead(b).ok()) << b;
  }
}

TEST(ParseRequestHead, HostHeaderExactlyOnceInHttp11) {
  EXPECT_TRUE(ParseRequestHead("GET / HTTP/1.1\r\nHost: a\r\n\r\n").ok());
  EXPECT_TRUE(ParseRequestHead("GET / HTTP/1.1\r\nhOsT: a\r\nX: y\r\n\r\n").ok());
  // HTTP/1.0 has no Host requirement, but two are still ambiguous.
  EXPECT_TRUE(ParseRequestHead("GET / HTTP/1.0\r\n\r\n").ok());
  auto none = ParseRequestHead("GET / HTTP/1.1\r\nX: y\r\n\r\n");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("Host"), std::string::npos);
  auto two = ParseRequestHead("GET / HTTP/1.1\r\nHost: a\r\nHOST: b\r\n\r\n");
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.status().message().find("more than one Host"), std::string::npos);
  EXPECT_FALSE(ParseRequestHead("GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n").ok());
}

TEST(SerializeResponse, HeadersAndHead) {
  HttpResponse r = JsonError(404, "no such </script>");
  std::string full = SerializeResponse(r, false);
  EXPECT_EQ(full.rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u);
  EXPECT_NE(full.find("Content-Type: application/json; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(full.find("X-Content-Type-Options: nosniff\r\n"), std::string::npos);
  EXPECT_NE(full.find("Content-Length: " + std::to_string(r.body.size()) + "\r\n"),
            std::string::npos);
  EXPECT_EQ(full.substr(full.size() - r.body.size()), r.body);
  std::string head = SerializeResponse(r, true);
  EXPECT_EQ(head, full.substr(0, full.size() - r.body.size()));
}

}  // namespace
}  // namespace echotrace::web
