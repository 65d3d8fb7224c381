#include "controller/reconcile/reconciler.h"

#include <gtest/gtest.h>

#include <thread>

#include "tests/unit/controller/controller_test_support.h"

namespace portico::controller {
namespace {

using test_support::RecordingSink;

Service service_with_port(int32_t port) {
  Service service;
  service.meta.namespace_ = "demo";
  service.meta.name = "web";
  service.ports.push_back(ServicePort{"http", port, {}, "TCP"});
  return service;
}

Ingress ingress_to_web(int32_t port) {
  Ingress ingress;
  ingress.meta.namespace_ = "demo";
  ingress.meta.name = "i";
  ingress.ingress_class_name = "portico";
  ingress.rules.push_back(IngressRule{
      "", {IngressPath{"/", IngressPathType::kPrefix, IngressBackend{"web", {port, ""}}}}});
  return ingress;
}

std::string backend_name(const proxy::RouteSnapshot& snapshot) {
  const proxy::RouteTarget* target = snapshot.routes.match("any", "/");
  return target && target->backend ? target->backend->name : "";
}

class ReconcilerTest : public ::testing::Test {
 protected:
  explicit ReconcilerTest(std::chrono::milliseconds debounce = std::chrono::milliseconds(20))
      : reconciler_(store_, TranslateOptions{}, debounce, sink_, registry_) {}

  RecordingSink sink_;
  proxy::EndpointStateRegistry registry_;
  ObjectStore store_{[this] { reconciler_.mark_dirty(); }};
  Reconciler reconciler_;
};

TEST_F(ReconcilerTest, ReconcileNowPublishesSynchronouslyWithIncreasingGenerations) {
  store_.replace({service_with_port(80), ingress_to_web(80)});
  reconciler_.reconcile_now();
  ASSERT_EQ(sink_.snapshots().size(), 1u);
  EXPECT_EQ(sink_.latest()->generation, 1u);
  EXPECT_EQ(backend_name(*sink_.latest()), "demo/web:80");
  reconciler_.reconcile_now();
  EXPECT_EQ(sink_.latest()->generation, 2u);
}

TEST_F(ReconcilerTest, StoreChangesArePublishedByTheReconcilerThread) {
  reconciler_.reconcile_now();
  reconciler_.start();
  store_.replace({service_with_port(80), ingress_to_web(80)});
  ASSERT_TRUE(sink_.wait_for_latest(
      [](const proxy::RouteSnapshot& s) { return backend_name(s) == "demo/web:80"; }));
  store_.upsert(service_with_port(81));
  store_.upsert(ingress_to_web(81));
  ASSERT_TRUE(sink_.wait_for_latest(
      [](const proxy::RouteSnapshot& s) { return backend_name(s) == "demo/web:81"; }));
  const auto snapshots = sink_.snapshots();
  for (std::size_t i = 0; i < snapshots.size(); ++i) {
    EXPECT_EQ(snapshots[i]->generation, i + 1) << "generations are published in order";
  }
  reconciler_.stop();
}

class ReconcilerDebounceTest : public ReconcilerTest {
 protected:
  ReconcilerDebounceTest() : ReconcilerTest(std::chrono::milliseconds(300)) {}
};

TEST_F(ReconcilerDebounceTest, ABurstOfChangesBecomesOneTranslation) {
  reconciler_.start();
  store_.upsert(ingress_to_web(20));
  // Changes spread over ~100 ms, each well inside the quiet period the previous one started.
  // The pauses shape the burst; nothing waits on them.
  for (int32_t port = 1; port <= 20; ++port) {
    store_.upsert(service_with_port(port));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(sink_.wait_for_latest(
      [](const proxy::RouteSnapshot& s) { return backend_name(s) == "demo/web:20"; }));
  // 21 store changes; without coalescing nearly every one would publish. The first one, after
  // a quiet period, is published at once; the rest wait for the burst to end.
  EXPECT_LE(sink_.snapshots().size(), 3u);
  reconciler_.stop();
}

TEST_F(ReconcilerDebounceTest, AChangeAfterAQuietPeriodIsPublishedAtOnce) {
  reconciler_.start();
  const auto changed = std::chrono::steady_clock::now();
  store_.replace({ingress_to_web(80), service_with_port(80)});
  ASSERT_TRUE(sink_.wait_for_latest(
      [](const proxy::RouteSnapshot& s) { return backend_name(s) == "demo/web:80"; }));
  // Well inside the 300 ms debounce period: nothing waited for it.
  EXPECT_LT(std::chrono::steady_clock::now() - changed, std::chrono::milliseconds(250));
  reconciler_.stop();
}

class ReconcilerTrickleTest : public ReconcilerTest {
 protected:
  ReconcilerTrickleTest() : ReconcilerTest(std::chrono::milliseconds(100)) {}
};

TEST_F(ReconcilerTrickleTest, ASteadyTrickleOfChangesStillPublishes) {
  reconciler_.start();
  store_.upsert(ingress_to_web(80));
  // A change every 10 ms never leaves a 100 ms quiet period; after the first change (published
  // at once), the burst is cut after kMaxDebouncePeriods periods instead.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  int32_t port = 1;
  while (sink_.snapshots().size() < 2 && std::chrono::steady_clock::now() < deadline) {
    store_.upsert(service_with_port(port++ % 1000 + 1));
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(sink_.snapshots().size(), 2u);
  reconciler_.stop();
}

TEST_F(ReconcilerTest, LogsAWarningOnlyWhenItFirstAppears) {
  store_.replace({ingress_to_web(80)});  // no Service: one warning
  ::testing::internal::CaptureStderr();
  reconciler_.reconcile_now();
  reconciler_.reconcile_now();
  store_.upsert(service_with_port(80));
  reconciler_.reconcile_now();
  store_.remove(service_with_port(80));
  reconciler_.reconcile_now();
  const std::string log = ::testing::internal::GetCapturedStderr();
  const std::string warning = "service demo/web not found";
  std::size_t count = 0;
  for (std::size_t at = log.find(warning); at != std::string::npos;
       at = log.find(warning, at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 2u) << "once, and again after it went away and came back:\n" << log;
  EXPECT_NE(log.find("object=demo/i"), std::string::npos) << log;
}

TEST_F(ReconcilerTest, StopReturnsPromptlyAndTwice) {
  reconciler_.start();
  reconciler_.mark_dirty();
  reconciler_.stop();
  reconciler_.stop();
}

}  // namespace
}  // namespace portico::controller
