#include "net/http/message.hpp"

#include <gtest/gtest.h>

namespace tender::net::http {
namespace {

TEST(HttpMessage, HeadersIgnoreCaseAndReplace) {
  Request r;
  r.set_header("Content-Type", "text/plain");
  r.set_header("content-type", "application/json");
  ASSERT_EQ(r.headers.size(), 1U);
  EXPECT_EQ(*r.header("CONTENT-TYPE"), "application/json");
  EXPECT_FALSE(r.header("Authorization"));
}

TEST(HttpMessage, PathAndQuery) {
  Request r{Method::get, "/api/transaction?page=2&search=a%20b+c&empty=&flag", {}, {}};
  EXPECT_EQ(r.path(), "/api/transaction");
  EXPECT_EQ(*r.query_parameter("page"), "2");
  EXPECT_EQ(*r.query_parameter("search"), "a b c");
  EXPECT_EQ(*r.query_parameter("empty"), "");
  EXPECT_EQ(*r.query_parameter("flag"), "");
  EXPECT_FALSE(r.query_parameter("missing"));
  EXPECT_EQ(Request({Method::get, "/x", {}, {}}).path(), "/x");
  EXPECT_EQ(*Request({Method::get, "/x?bad=%G1", {}, {}}).query_parameter("bad"), "%G1");
}

TEST(HttpMessage, Methods) {
  for (Method m : {Method::get, Method::post, Method::put, Method::patch, Method::delete_})
    EXPECT_EQ(method_from_string(to_string(m)), m);
  EXPECT_FALSE(method_from_string("get"));
  EXPECT_FALSE(method_from_string("TRACE"));
}

}  // namespace
}  // namespace tender::net::http
