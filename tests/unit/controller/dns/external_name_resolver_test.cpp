#include "controller/dns/external_name_resolver.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

namespace portico::controller {
namespace {

using namespace std::chrono_literals;

Service external(const std::string& name, const std::string& external_name) {
  Service service;
  service.meta.name = name;
  service.type = "ExternalName";
  service.external_name = external_name;
  return service;
}

// Waits up to two seconds for `condition`.
template <typename Condition>
bool eventually(Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

class ExternalNameResolverTest : public ::testing::Test {
 protected:
  Result<std::vector<std::string>> lookup(const std::string& name) {
    std::lock_guard lock(mutex_);
    ++lookups_;
    auto it = answers_.find(name);
    if (it == answers_.end()) return Error{"NXDOMAIN " + name};
    return it->second;
  }
  void answer(const std::string& name, std::vector<std::string> addresses) {
    std::lock_guard lock(mutex_);
    answers_[name] = std::move(addresses);
  }
  void forget(const std::string& name) {
    std::lock_guard lock(mutex_);
    answers_.erase(name);
  }
  std::map<std::string, std::vector<std::string>> resolved() {
    return store_.contents().resolved_names;
  }

  std::mutex mutex_;
  std::map<std::string, std::vector<std::string>> answers_;
  int lookups_ = 0;
  ObjectStore store_{[this] { resolver_.mark_dirty(); }};
  ExternalNameResolver resolver_{store_, 100ms,
                                 [this](const std::string& name) { return lookup(name); }};
};

TEST(ExternalNamesTest, OnlyNamesOfExternalNameServicesThatAreNotAddresses) {
  StoreContents contents;
  contents.put(external("db", "db.example.com"));
  contents.put(external("ip", "192.0.2.1"));
  Service plain;
  plain.meta.name = "web";
  plain.external_name = "ignored.example.com";  // not of type ExternalName
  contents.put(plain);
  EXPECT_EQ(external_names(contents), std::set<std::string>{"db.example.com"});
}

TEST_F(ExternalNameResolverTest, ResolvesNewNamesAndRefreshesThem) {
  answer("db.example.com", {"192.0.2.1"});
  resolver_.start();
  store_.upsert(external("db", "db.example.com"));
  ASSERT_TRUE(eventually([&] { return resolved().contains("db.example.com"); }));
  EXPECT_EQ(resolved().at("db.example.com"), std::vector<std::string>{"192.0.2.1"});

  // The DNS answer changes: the periodic refresh picks it up.
  answer("db.example.com", {"192.0.2.2"});
  EXPECT_TRUE(eventually([&] {
    auto names = resolved();
    return names.contains("db.example.com") &&
           names.at("db.example.com") == std::vector<std::string>{"192.0.2.2"};
  }));
  resolver_.stop();
}

TEST_F(ExternalNameResolverTest, AFailingLookupKeepsTheLastGoodAddresses) {
  answer("db.example.com", {"192.0.2.1"});
  resolver_.start();
  store_.upsert(external("db", "db.example.com"));
  ASSERT_TRUE(eventually([&] { return resolved().contains("db.example.com"); }));
  forget("db.example.com");
  const int before = [&] {
    std::lock_guard lock(mutex_);
    return lookups_;
  }();
  // Two refresh periods with a failing lookup.
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mutex_);
    return lookups_ >= before + 2;
  }));
  EXPECT_EQ(resolved().at("db.example.com"), std::vector<std::string>{"192.0.2.1"});
  resolver_.stop();
}

TEST_F(ExternalNameResolverTest, NamesNoLongerUsedAreDropped) {
  answer("db.example.com", {"192.0.2.1"});
  resolver_.start();
  store_.upsert(external("db", "db.example.com"));
  ASSERT_TRUE(eventually([&] { return resolved().contains("db.example.com"); }));
  store_.remove(ObjectKind::kService, "default/db");
  EXPECT_TRUE(eventually([&] { return resolved().empty(); }));
  resolver_.stop();
}

}  // namespace
}  // namespace portico::controller
