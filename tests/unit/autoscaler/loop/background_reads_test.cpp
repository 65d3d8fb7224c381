// Keys are read on the reader's own thread: a read that hangs holds up neither the loop that
// takes the results nor the keys read before it.
#include "autoscaler/loop/background_reads.h"

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "autoscaler/sources/peer_queue_depth.h"

namespace portico::autoscaler {
namespace {

using namespace std::chrono_literals;

// Every address answers with one request in flight for "shop/web"; "hanging" only once
// release() is called.
class ScriptedPeers {
 public:
  Result<PeerLoad> scrape(const std::string& address) {
    ++scrapes;
    if (address == "hanging") {
      std::unique_lock lock(mutex_);
      hanging_ = true;
      changed_.notify_all();
      changed_.wait(lock, [this] { return released_; });
    }
    return PeerLoad{{{"shop/web", 1}}, {{"shop/web", 10}}};
  }
  bool wait_until_hanging() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [this] { return hanging_; });
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

  std::atomic<int> scrapes{0};

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool hanging_ = false;
  bool released_ = false;
};

TEST(BackgroundReads, APeerThatHangsHoldsUpNeitherTheReaderNorThePeersBeforeIt) {
  ScriptedPeers peers;
  BackgroundReads<PeerLoad> scraper(
      [&](const std::string& address) { return peers.scrape(address); }, 10ms, "a test's figures");
  scraper.set_keys({"10.0.0.2", "hanging"});
  scraper.start();
  ASSERT_TRUE(peers.wait_until_hanging());

  // While the scrape hangs, the loop's calls return (a deadlock would leave them waiting: the
  // 10 s is a detector, not a speed target).
  auto read = std::async(std::launch::async, [&] {
    scraper.set_keys({"10.0.0.2", "hanging"});
    return scraper.latest();
  });
  const bool returned = read.wait_for(10s) == std::future_status::ready;
  peers.release();
  ASSERT_TRUE(returned) << "latest() waited on a scrape";
  const std::map<std::string, BackgroundReads<PeerLoad>::Latest> figures = read.get();
  ASSERT_EQ(figures.size(), 1u) << "the peer read before the hanging one";
  EXPECT_EQ(figures.at("10.0.0.2").value->queue_depth.at("shop/web"), 1);
  EXPECT_EQ(figures.count("hanging"), 0u);
}

TEST(BackgroundReads, APeerThatLeavesDuringItsScrapeLeavesNoFiguresAndIsNotReadAgain) {
  ScriptedPeers peers;
  BackgroundReads<PeerLoad> scraper(
      [&](const std::string& address) { return peers.scrape(address); }, 10ms, "a test's figures");
  scraper.set_keys({"hanging"});
  scraper.start();
  ASSERT_TRUE(peers.wait_until_hanging());
  scraper.set_keys({});
  peers.release();  // the scrape ends with figures of a peer that has left
  std::this_thread::sleep_for(100ms);
  scraper.stop();
  EXPECT_TRUE(scraper.latest().empty());
  EXPECT_EQ(peers.scrapes.load(), 1) << "no peers, no scrapes";
}

TEST(BackgroundReads, AFailedReadKeepsTheLastGoodValueAndSaysWhy) {
  std::atomic<int> reads{0};
  BackgroundReads<double> reader(
      [&](const std::string&) -> Result<double> {
        if (reads++ == 0) return 42.0;
        return Error{"connection refused"};
      },
      10ms, "a test's value");
  reader.set_keys({"query"});
  reader.start();
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (reads.load() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  reader.stop();
  const auto latest = reader.latest();
  ASSERT_EQ(latest.count("query"), 1u);
  EXPECT_EQ(latest.at("query").value, 42.0) << "the last good read, for the caller to age";
  EXPECT_EQ(latest.at("query").error, "connection refused");
}

}  // namespace
}  // namespace portico::autoscaler
