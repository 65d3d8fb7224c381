#include "controller/annotations/annotation_parser.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace portico::controller::annotations {
namespace {

TEST(AnnotationParserTest, FindAnnotationTrimsSurroundingWhitespaceOnly) {
  const Annotations annotations = {{"a", " \tip-hash\n"}, {"b", "two words"}, {"c", ""}};
  EXPECT_EQ(find_annotation(annotations, "a"), "ip-hash");
  EXPECT_EQ(find_annotation(annotations, "b"), "two words");
  EXPECT_EQ(find_annotation(annotations, "c"), "") << "present but empty is not absent";
  EXPECT_EQ(find_annotation(annotations, "d"), std::nullopt);
}

TEST(AnnotationParserTest, QuotedEscapesWhatCouldForgeALogLine) {
  const struct {
    std::string text;
    std::string expected;
  } cases[] = {
      {"plain", "\"plain\""},
      {"", "\"\""},
      {"say \"hi\"", "\"say \\\"hi\\\"\""},
      {"back\\slash", "\"back\\\\slash\""},
      {"two\nlines\r", "\"two\\x0alines\\x0d\""},
      {"tab\there", "\"tab\\x09here\""},
      {"caf\xc3\xa9", "\"caf\\xc3\\xa9\""},
      {"del\x7f", "\"del\\x7f\""},
  };
  for (const auto& test : cases) EXPECT_EQ(quote_value(test.text), test.expected) << test.text;
}

TEST(AnnotationParserTest, QuotedShortensLongText) {
  const std::string exact(64, 'a');
  EXPECT_EQ(quote_value(exact), "\"" + exact + "\"");
  EXPECT_EQ(quote_value(exact + "bcd"), "\"" + exact + "\"...");
}

TEST(AnnotationParserTest, DescribeNamesTheAnnotationAndQuotesTheValue) {
  EXPECT_EQ(describe("portico.io/x", "v\n", "why"),
            "annotation portico.io/x value \"v\\x0a\": why");
}

TEST(AnnotationParserTest, HttpTokens) {
  for (const char* token : {"X-User-Id", "session_id", "a", "!#$%&'*+-.^_`|~", "09AZaz"}) {
    EXPECT_TRUE(is_http_token(token)) << token;
  }
  for (const char* not_token :
       {"", "a b", "a:b", "a=b", "a;b", "a,b", "a/b", "(a)", "<a>", "a@b", "a\"b", "a?b", "[a]",
        "{a}", "a\\b", "a\tb", "a\nb", "caf\xc3\xa9"}) {
    EXPECT_FALSE(is_http_token(not_token)) << not_token;
  }
}

TEST(AnnotationParserTest, ApplySetsValuesAndReportsTheRest) {
  std::vector<std::string> problems;
  int setting = 1;
  apply(Parsed<int>::absent(), setting, "1", problems);
  EXPECT_EQ(setting, 1);
  EXPECT_TRUE(problems.empty());
  apply(Parsed<int>::of(7), setting, "1", problems);
  EXPECT_EQ(setting, 7);
  EXPECT_TRUE(problems.empty());

  apply(Parsed<int>::invalid("portico.io/n", "x", "expects a number"), setting, "7", problems);
  EXPECT_EQ(setting, 7);
  apply(Parsed<int>::ignored("nginx.ingress.kubernetes.io/n", "y", "not mapped"), setting, "7",
        problems);
  EXPECT_EQ(setting, 7);
  EXPECT_EQ(problems, (std::vector<std::string>{
                          "annotation portico.io/n value \"x\": expects a number; the default "
                          "(7) applies",
                          "annotation nginx.ingress.kubernetes.io/n value \"y\": not mapped; "
                          "ignored"}));
}

}  // namespace
}  // namespace portico::controller::annotations
