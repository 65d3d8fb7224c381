#include "controller/decode/base64.h"

#include <gtest/gtest.h>

namespace portico::controller {
namespace {

TEST(Base64, DecodesTheRfc4648TestVectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"Zg==", "f"},
      {"Zm8=", "fo"},
      {"Zm9v", "foo"},
      {"Zm9vYg==", "foob"},
      {"Zm9vYmE=", "fooba"},
      {"Zm9vYmFy", "foobar"},
  };
  for (const auto& [encoded, plain] : vectors) {
    EXPECT_EQ(decode_base64(encoded), std::optional<std::string>(plain)) << encoded;
  }
}

TEST(Base64, DecodesEveryByteAndBothHighCharacters) {
  EXPECT_EQ(decode_base64("+/8A"), std::optional<std::string>(std::string("\xfb\xff\x00", 3)));
}

TEST(Base64, RefusesAnythingNotCanonicalAndPadded) {
  for (const char* bad : {
           "Zg",        // padding missing
           "Zg=",       // length not a multiple of 4
           "Zm9",       // padding missing
           "Zg==Zg==",  // padding in the middle
           "Z===",      // too much padding
           "====",      // padding only
           "Zm=v",      // '=' before a data character
           "Zm9v\n",    // whitespace
           "Zm 9",      // whitespace
           "Zm9-",      // URL-safe alphabet
           "Zm9_",      // URL-safe alphabet
           "Zh==",      // non-zero bits after the last byte
           "Zm9=",      // non-zero bits after the last byte
       }) {
    EXPECT_FALSE(decode_base64(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace portico::controller
