#include "controller/annotations/session_cookie_path.h"

#include <string>

#include <gtest/gtest.h>

namespace portico::controller::annotations {
namespace {

TEST(SessionCookiePathAnnotationTest, AbsolutePathsAreKeptAsWritten) {
  for (const char* name : {kSessionCookiePathAnnotation, kNginxSessionCookiePathAnnotation}) {
    for (const std::string text : {"/", "/shop", "/shop/cart/", "/a%20b", "/~user/x=1&y@z:8!"}) {
      const Parsed<std::string> parsed = parse_session_cookie_path({{name, text}}, name);
      EXPECT_EQ(parsed.outcome, Outcome::kValue) << text;
      EXPECT_EQ(parsed.value, text);
    }
  }
  const std::string longest = "/" + std::string(kMaxSessionCookiePathSize - 1, 'p');
  EXPECT_EQ(parse_session_cookie_path({{kSessionCookiePathAnnotation, longest}},
                                      kSessionCookiePathAnnotation)
                .value,
            longest);
}

TEST(SessionCookiePathAnnotationTest, AbsentIsAbsent) {
  EXPECT_EQ(parse_session_cookie_path({}, kSessionCookiePathAnnotation).outcome, Outcome::kAbsent);
}

// The path is written into a Set-Cookie field: nothing that could end the attribute, the
// field or the head gets through.
TEST(SessionCookiePathAnnotationTest, AnythingThatCouldSpliceIsInvalid) {
  for (const std::string& bad :
       {std::string(""), std::string("shop"), std::string("/shop; Domain=evil.example"),
        std::string("/a,b"), std::string("/a\r\nSet-Cookie: x=1"), std::string("/a\nb"),
        std::string("/a\rb"), std::string("/a b"), std::string("/a\tb"), std::string("/a\x7f"),
        std::string("/a\0b", 4), std::string("/caf\xc3\xa9"),
        "/" + std::string(kMaxSessionCookiePathSize, 'p')}) {
    const Parsed<std::string> parsed = parse_session_cookie_path(
        {{kSessionCookiePathAnnotation, bad}}, kSessionCookiePathAnnotation);
    EXPECT_EQ(parsed.outcome, Outcome::kInvalid) << bad;
    EXPECT_NE(parsed.problem.find(kSessionCookiePathAnnotation), std::string::npos);
    // The message quotes the value escaped, never raw.
    EXPECT_EQ(parsed.problem.find('\r'), std::string::npos);
    EXPECT_EQ(parsed.problem.find('\n'), std::string::npos);
  }
}

}  // namespace
}  // namespace portico::controller::annotations
