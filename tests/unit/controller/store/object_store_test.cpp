#include "controller/store/object_store.h"

#include <gtest/gtest.h>

namespace portico::controller {
namespace {

Service service(const std::string& name, int32_t port) {
  Service out;
  out.meta.name = name;
  out.ports.push_back(ServicePort{"http", port, {}, "TCP"});
  return out;
}

IngressClass ingress_class(const std::string& name) {
  IngressClass out;
  out.meta.namespace_.clear();
  out.meta.name = name;
  out.controller = "c";
  return out;
}

Pod pod(const std::string& name, const std::string& weight) {
  Pod out;
  out.meta.name = name;
  out.meta.annotations["portico.io/weight"] = weight;
  out.pod_ips = {"10.1.0.7"};
  out.phase = "Running";
  out.ready = true;
  return out;
}

class ObjectStoreTest : public ::testing::Test {
 protected:
  int changes_ = 0;
  ObjectStore store_{[this] { ++changes_; }};
};

TEST_F(ObjectStoreTest, UpsertAndRemoveNotifyOnlyOnRealChanges) {
  store_.upsert(service("a", 80));
  EXPECT_EQ(changes_, 1);
  store_.upsert(service("a", 80));  // same value: nothing to do
  EXPECT_EQ(changes_, 1);
  store_.upsert(service("a", 81));
  EXPECT_EQ(changes_, 2);
  EXPECT_EQ(store_.contents().services.at("default/a")->ports[0].port, 81);

  store_.remove(service("b", 80));  // not there
  EXPECT_EQ(changes_, 2);
  store_.remove(service("a", 0));  // by kind and key, whatever the value
  EXPECT_EQ(changes_, 3);
  EXPECT_TRUE(store_.contents().services.empty());
}

TEST_F(ObjectStoreTest, TheChangeCountMovesExactlyWhenTheContentsDo) {
  EXPECT_EQ(store_.changes(), 0u);
  store_.upsert(service("a", 80));
  store_.upsert(service("a", 80));  // same value
  store_.remove(service("b", 80));  // not there
  EXPECT_EQ(store_.changes(), 1u);
  store_.replace({Object(service("a", 81)), Object(ingress_class("x"))});
  EXPECT_EQ(store_.changes(), 2u);
  EXPECT_EQ(static_cast<int>(store_.changes()), changes_);
}

TEST_F(ObjectStoreTest, KindsAreSeparateKeySpaces) {
  Ingress ingress;
  ingress.meta.name = "same";
  store_.upsert(ingress);
  store_.upsert(service("same", 80));
  const StoreContents contents = store_.contents();
  EXPECT_EQ(contents.ingresses.size(), 1u);
  EXPECT_EQ(contents.services.size(), 1u);
  EXPECT_EQ(contents.size(), 2u);
}

TEST_F(ObjectStoreTest, ReplaceMakesTheStoreHoldExactlyTheList) {
  store_.replace({service("a", 80), service("b", 80), ingress_class("c")});
  EXPECT_EQ(changes_, 1);
  const StoreContents first = store_.contents();

  store_.replace({ingress_class("c"), service("b", 80), service("a", 80)});
  EXPECT_EQ(changes_, 1) << "the same objects in another order are no change";

  store_.replace({service("b", 80), ingress_class("c")});
  EXPECT_EQ(changes_, 2);
  const StoreContents second = store_.contents();
  EXPECT_EQ(second.services.count("default/a"), 0u);
  // Unchanged objects keep their identity, so readers of old contents share them.
  EXPECT_EQ(second.services.at("default/b"), first.services.at("default/b"));
  EXPECT_EQ(second.ingress_classes.at("c"), first.ingress_classes.at("c"));

  store_.replace({service("b", 80), service("b", 90), ingress_class("c")});
  EXPECT_EQ(changes_, 3);
  EXPECT_EQ(store_.contents().services.at("default/b")->ports[0].port, 90) << "later wins";
}

TEST_F(ObjectStoreTest, ContentsIsASnapshotUnaffectedByLaterWrites) {
  store_.upsert(service("a", 80));
  const StoreContents before = store_.contents();
  store_.upsert(service("a", 81));
  store_.upsert(service("z", 81));
  EXPECT_EQ(before.services.size(), 1u);
  EXPECT_EQ(before.services.at("default/a")->ports[0].port, 80);
}

TEST_F(ObjectStoreTest, ReplaceKindLeavesOtherKindsAlone) {
  store_.upsert(service("web", 80));
  store_.upsert(ingress_class("portico"));
  changes_ = 0;

  // A relist of IngressClasses says nothing about Services.
  store_.replace_kind(ObjectKind::kIngressClass, {ingress_class("other")});
  EXPECT_EQ(changes_, 1);
  const StoreContents contents = store_.contents();
  EXPECT_EQ(contents.services.size(), 1u);
  ASSERT_EQ(contents.ingress_classes.size(), 1u);
  EXPECT_TRUE(contents.ingress_classes.contains("other"));

  // The same list again changes nothing and keeps the stored pointer.
  const auto before = contents.ingress_classes.at("other");
  store_.replace_kind(ObjectKind::kIngressClass, {ingress_class("other")});
  EXPECT_EQ(changes_, 1);
  EXPECT_EQ(store_.contents().ingress_classes.at("other"), before);
}

TEST_F(ObjectStoreTest, ReplaceKindKeepsTheLastGoodVersionOfKeysItCannotDecode) {
  store_.replace_kind(ObjectKind::kService, {service("a", 80), service("b", 81)});
  changes_ = 0;
  // "b" did not decode this time: its stored version stays; "a" is gone from the list.
  store_.replace_kind(ObjectKind::kService, {}, {"default/b", "default/never-seen"});
  EXPECT_EQ(changes_, 1);
  const StoreContents contents = store_.contents();
  ASSERT_EQ(contents.services.size(), 1u);
  EXPECT_EQ(contents.services.at("default/b")->ports[0].port, 81);
}

TEST_F(ObjectStoreTest, RemoveByKindAndKey) {
  store_.upsert(service("a", 80));
  changes_ = 0;
  store_.remove(ObjectKind::kIngress, "default/a");  // another kind's key space
  EXPECT_EQ(changes_, 0);
  store_.remove(ObjectKind::kService, "default/a");
  EXPECT_EQ(changes_, 1);
  EXPECT_TRUE(store_.contents().services.empty());
}

TEST_F(ObjectStoreTest, ResolvedNamesNotifyOnChangeAndSurviveAReplace) {
  store_.set_resolved_names({{"db.example.com", {"192.0.2.1"}}});
  EXPECT_EQ(changes_, 1);
  store_.set_resolved_names({{"db.example.com", {"192.0.2.1"}}});
  EXPECT_EQ(changes_, 1);
  // A full replace (the manifest folder re-read) is about objects, not DNS answers.
  store_.replace({service("a", 80)});
  EXPECT_EQ(store_.contents().resolved_names.at("db.example.com"),
            std::vector<std::string>{"192.0.2.1"});
}

TEST_F(ObjectStoreTest, APodEqualToTheStoredOneIsNoChange) {
  // Pod status writes outside the model decode to equal Pods: they must not cost a rebuild,
  // whether they come as a watch event or in a relist.
  store_.upsert(pod("web-1", "3"));
  EXPECT_EQ(changes_, 1);
  const auto stored = store_.contents().pods.at("default/web-1");
  store_.upsert(pod("web-1", "3"));
  EXPECT_EQ(changes_, 1);
  EXPECT_EQ(store_.contents().pods.at("default/web-1"), stored);
  store_.replace_kind(ObjectKind::kPod, {pod("web-1", "3")});
  EXPECT_EQ(changes_, 1);
  EXPECT_EQ(store_.contents().pods.at("default/web-1"), stored);

  store_.upsert(pod("web-1", "4"));
  EXPECT_EQ(changes_, 2);
  store_.replace_kind(ObjectKind::kPod, {pod("web-1", "4"), pod("web-2", "1")});
  EXPECT_EQ(changes_, 3);
  EXPECT_EQ(store_.contents().size(), 2u);
  store_.remove(ObjectKind::kPod, "default/web-2");
  EXPECT_EQ(changes_, 4);
  EXPECT_EQ(store_.contents().pods.count("default/web-2"), 0u);
}

}  // namespace
}  // namespace portico::controller
