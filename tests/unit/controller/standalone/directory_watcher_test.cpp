#include "controller/standalone/directory_watcher.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "tests/unit/controller/standalone/temp_directory.h"

namespace portico::controller {
namespace {

class DirectoryWatcherTest : public ::testing::Test {
 protected:
  bool wait_for_calls(int wanted) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return calls_ >= wanted; });
  }
  int calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }

  test_support::TempDirectory dir_;
  std::mutex mutex_;
  std::condition_variable changed_;
  int calls_ = 0;
  DirectoryWatcher watcher_{dir_.path(), std::chrono::milliseconds(300), [this] {
                              {
                                std::lock_guard lock(mutex_);
                                ++calls_;
                              }
                              changed_.notify_all();
                            }};
};

TEST_F(DirectoryWatcherTest, ReportsCreateModifyAndDeleteOncePerBurst) {
  ASSERT_TRUE(watcher_.open().ok());
  watcher_.start();
  // One burst: writes spread over 100 ms, each well inside the 300 ms quiet period that
  // the previous one started. The pauses shape the burst; nothing waits on them.
  for (int i = 0; i < 20; ++i) {
    dir_.write("a.yaml", "n: " + std::to_string(i) + "\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(wait_for_calls(1));
  std::filesystem::remove(dir_.path() / "a.yaml");
  ASSERT_TRUE(wait_for_calls(2));
  EXPECT_LE(calls(), 3) << "a burst is reported once, not once per event";
  watcher_.stop();
}

TEST_F(DirectoryWatcherTest, ChangesBeforeStartAreReportedOnceItRuns) {
  ASSERT_TRUE(watcher_.open().ok());
  dir_.write("early.yaml", "a: 1\n");
  watcher_.start();
  EXPECT_TRUE(wait_for_calls(1));
}

TEST(DirectoryWatcher, OpenFailsForAMissingFolder) {
  DirectoryWatcher watcher("/nonexistent/portico", std::chrono::milliseconds(10), [] {});
  const Status status = watcher.open();
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().find("/nonexistent/portico"), std::string::npos);
}

}  // namespace
}  // namespace portico::controller
