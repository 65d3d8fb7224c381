#include "controller/annotations/affinity.h"

#include <gtest/gtest.h>

namespace portico::controller::annotations {
namespace {

TEST(AffinityAnnotationTest, CookieTurnsItOnUnderEitherName) {
  for (const char* name : {kAffinityAnnotation, kNginxAffinityAnnotation}) {
    for (const char* text : {"cookie", " cookie\n"}) {
      const Parsed<bool> parsed = parse_affinity({{name, text}}, name);
      EXPECT_EQ(parsed.outcome, Outcome::kValue) << name;
      EXPECT_TRUE(parsed.value) << name;
    }
  }
}

TEST(AffinityAnnotationTest, AbsentIsAbsent) {
  EXPECT_EQ(parse_affinity({}, kAffinityAnnotation).outcome, Outcome::kAbsent);
  // Each name is read on its own.
  EXPECT_EQ(parse_affinity({{kNginxAffinityAnnotation, "cookie"}}, kAffinityAnnotation).outcome,
            Outcome::kAbsent);
}

TEST(AffinityAnnotationTest, AnythingElseIsInvalidAndNamed) {
  for (const char* name : {kAffinityAnnotation, kNginxAffinityAnnotation}) {
    for (const char* bad : {"", "Cookie", "cookies", "ip", "none", "true", "cookie;x"}) {
      const Parsed<bool> parsed = parse_affinity({{name, bad}}, name);
      EXPECT_EQ(parsed.outcome, Outcome::kInvalid) << name << " " << bad;
      EXPECT_FALSE(parsed.value);
      EXPECT_NE(parsed.problem.find(name), std::string::npos) << parsed.problem;
      EXPECT_NE(parsed.problem.find("expects cookie"), std::string::npos) << parsed.problem;
    }
  }
}

}  // namespace
}  // namespace portico::controller::annotations
