#include "controller/annotations/session_cookie_name.h"

#include <string>

#include <gtest/gtest.h>

namespace portico::controller::annotations {
namespace {

TEST(SessionCookieNameAnnotationTest, TokensAreNamesAsWritten) {
  for (const char* name : {kSessionCookieNameAnnotation, kNginxSessionCookieNameAnnotation}) {
    for (const std::string text : {"route", "SERVERID", "sticky_v2", "a.b~c!#$%&'*+-^`|"}) {
      const Parsed<std::string> parsed = parse_session_cookie_name({{name, text}}, name);
      EXPECT_EQ(parsed.outcome, Outcome::kValue) << text;
      EXPECT_EQ(parsed.value, text);
    }
  }
  EXPECT_EQ(parse_session_cookie_name({{kSessionCookieNameAnnotation, " route\n"}},
                                      kSessionCookieNameAnnotation)
                .value,
            "route");
  const std::string longest(kMaxSessionCookieNameSize, 'n');
  EXPECT_EQ(parse_session_cookie_name({{kSessionCookieNameAnnotation, longest}},
                                      kSessionCookieNameAnnotation)
                .value,
            longest);
}

TEST(SessionCookieNameAnnotationTest, AbsentIsAbsent) {
  EXPECT_EQ(parse_session_cookie_name({}, kSessionCookieNameAnnotation).outcome, Outcome::kAbsent);
}

TEST(SessionCookieNameAnnotationTest, NonTokensAreInvalid) {
  for (const std::string& bad :
       {std::string(""), std::string("a b"), std::string("a=b"), std::string("a;b"),
        std::string("a,b"), std::string("a\"b"), std::string("a\r\nSet-Cookie: x"),
        std::string("a/b"), std::string("caf\xc3\xa9"), std::string("a\tb"),
        std::string(kMaxSessionCookieNameSize + 1, 'n')}) {
    const Parsed<std::string> parsed = parse_session_cookie_name(
        {{kNginxSessionCookieNameAnnotation, bad}}, kNginxSessionCookieNameAnnotation);
    EXPECT_EQ(parsed.outcome, Outcome::kInvalid) << bad;
    EXPECT_NE(parsed.problem.find(kNginxSessionCookieNameAnnotation), std::string::npos);
    EXPECT_NE(parsed.problem.find("RFC 6265 token"), std::string::npos) << parsed.problem;
  }
}

}  // namespace
}  // namespace portico::controller::annotations
