#include "controller/translate/ingress_class_filter.h"

#include <gtest/gtest.h>

namespace portico::controller {
namespace {

constexpr char kOurs[] = "portico.io/ingress-controller";

struct ClassCase {
  const char* description;
  std::optional<std::string> class_name;  // spec.ingressClassName
  std::optional<std::string> legacy;      // kubernetes.io/ingress.class
  std::vector<IngressClass> classes;
  bool ours;
};

IngressClass make_class(const std::string& name, const std::string& controller, bool is_default) {
  IngressClass out;
  out.meta.namespace_.clear();
  out.meta.name = name;
  out.controller = controller;
  if (is_default) out.meta.annotations[kIsDefaultClassAnnotation] = "true";
  return out;
}

class IngressClassFilterTest : public ::testing::TestWithParam<ClassCase> {};

TEST_P(IngressClassFilterTest, DecidesOwnership) {
  const ClassCase& c = GetParam();
  Ingress ingress;
  ingress.meta.name = "i";
  ingress.ingress_class_name = c.class_name;
  if (c.legacy) ingress.meta.annotations[kLegacyClassAnnotation] = *c.legacy;
  StoreContents::ByKey<IngressClass> classes;
  for (const IngressClass& ingress_class : c.classes) {
    classes[ingress_class.meta.key()] = std::make_shared<const IngressClass>(ingress_class);
  }
  EXPECT_EQ(is_our_ingress(ingress, classes, TranslateOptions{}), c.ours) << c.description;
}

INSTANTIATE_TEST_SUITE_P(
    Table, IngressClassFilterTest,
    ::testing::Values(
        ClassCase{"our class name, no IngressClass object", "portico", {}, {}, true},
        ClassCase{"our class name, IngressClass with our controller",
                  "portico",
                  {},
                  {make_class("portico", kOurs, false)},
                  true},
        ClassCase{"our class name, but the IngressClass names another controller",
                  "portico",
                  {},
                  {make_class("portico", "k8s.io/ingress-nginx", false)},
                  false},
        ClassCase{"another class name", "nginx", {}, {make_class("portico", kOurs, true)}, false},
        ClassCase{"class name wins over the legacy annotation", "nginx", "portico", {}, false},
        ClassCase{"legacy annotation with our class", {}, "portico", {}, true},
        ClassCase{"legacy annotation with another class, even with our default",
                  {},
                  "nginx",
                  {make_class("portico", kOurs, true)},
                  false},
        ClassCase{"no class, our IngressClass is the default",
                  {},
                  {},
                  {make_class("portico", kOurs, true)},
                  true},
        ClassCase{"no class, our IngressClass is not the default",
                  {},
                  {},
                  {make_class("portico", kOurs, false)},
                  false},
        ClassCase{"no class, the default IngressClass is someone else's",
                  {},
                  {},
                  {make_class("nginx", "k8s.io/ingress-nginx", true)},
                  false},
        ClassCase{"no class and no IngressClass", {}, {}, {}, false}));

TEST(IngressClassFilter, HonoursConfiguredClassAndController) {
  TranslateOptions options{"edge", "example.com/edge"};
  Ingress ingress;
  ingress.ingress_class_name = "edge";
  StoreContents::ByKey<IngressClass> classes;
  classes["edge"] = std::make_shared<const IngressClass>(make_class("edge", kOurs, false));
  EXPECT_FALSE(is_our_ingress(ingress, classes, options));
  classes["edge"] =
      std::make_shared<const IngressClass>(make_class("edge", "example.com/edge", false));
  EXPECT_TRUE(is_our_ingress(ingress, classes, options));
  ingress.ingress_class_name = "portico";
  EXPECT_FALSE(is_our_ingress(ingress, classes, options));
}

}  // namespace
}  // namespace portico::controller
