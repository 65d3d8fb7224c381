// Bodies far larger than any buffer stream through portico in both directions, byte-exact,
// while its resident memory stays flat.
#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "tests/integration/support/body_stream.h"
#include "tests/integration/support/process_probe.h"
#include "tests/integration/support/site_test.h"

namespace portico::testing {
namespace {

using namespace std::chrono_literals;

constexpr uint64_t kGibibyte = 1ULL << 30;
constexpr uint64_t kMemoryBudget = 16ULL << 20;
constexpr auto kTransferTimeout = 120s;

class StreamingTest : public SiteTest {
 protected:
  void SetUp() override {
    start_site();
    // One request first, so buffers every connection needs are already counted in the
    // baseline and only per-byte growth shows up.
    ASSERT_EQ(status_of("/"), 200);
  }

  // Runs `transfer` and returns how far portico's VmRSS rose above its value before.
  uint64_t memory_growth_during(const std::function<void()>& transfer) {
    const pid_t pid = portico_.process->pid();
    const uint64_t before = resident_bytes(pid);
    PeakResidentSampler sampler(pid);
    transfer();
    const uint64_t peak = std::max(sampler.peak(), resident_bytes(pid));
    const uint64_t growth = peak > before ? peak - before : 0;
    RecordProperty("resident_growth_bytes", std::to_string(growth));
    return growth;
  }

  void upload(BodyFraming framing) {
    const uint64_t growth = memory_growth_during([&] {
      RawConnection connection("127.0.0.1", portico_.http_port);
      ASSERT_TRUE(send_large_request(connection, "POST /upload HTTP/1.1\r\nHost: demo.local",
                                     kGibibyte, framing));
      const auto response = connection.read_response(kTransferTimeout);
      ASSERT_TRUE(response);
      EXPECT_EQ(response->status, 200);
      EXPECT_EQ(json_field(response->body, "body_bytes"), std::to_string(kGibibyte))
          << response->body;
    });
    EXPECT_LT(growth, kMemoryBudget);
  }
};

TEST_F(StreamingTest, DownloadsOneGibibyteInBoundedMemory) {
  PatternChecker checker;
  std::optional<HttpResponse> response;
  const uint64_t growth = memory_growth_during([&] {
    RawConnection connection("127.0.0.1", portico_.http_port);
    ASSERT_TRUE(connection.send("GET /bytes/1073741824 HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
    response = connection.read_response(kTransferTimeout, false,
                                        [&checker](std::string_view bytes) { checker(bytes); });
  });
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->header("Content-Length"), std::to_string(kGibibyte));
  EXPECT_EQ(checker.bytes(), kGibibyte);
  EXPECT_TRUE(checker.intact()) << "first wrong byte at " << checker.first_mismatch();
  EXPECT_LT(growth, kMemoryBudget);
}

TEST_F(StreamingTest, UploadsOneGibibyteWithContentLengthInBoundedMemory) {
  upload(BodyFraming::kContentLength);
}

TEST_F(StreamingTest, UploadsOneGibibyteChunkedInBoundedMemory) {
  upload(BodyFraming::kChunked);
}

TEST_F(StreamingTest, StalledReaderDoesNotMakePorticoBuffer) {
  RawConnection connection("127.0.0.1", portico_.http_port);
  PatternChecker checker;
  std::optional<HttpResponse> response;
  const uint64_t growth = memory_growth_during([&] {
    ASSERT_TRUE(connection.send("GET /bytes/268435456 HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
    // The backend can write far faster than we read: while we read nothing, the only thing
    // stopping portico from queueing the whole body is backpressure. The stall is the
    // subject of the test, so it is a plain wait.
    std::this_thread::sleep_for(1500ms);
    response = connection.read_response(kTransferTimeout, false,
                                        [&checker](std::string_view bytes) { checker(bytes); });
  });
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(checker.bytes(), 268435456u);
  EXPECT_TRUE(checker.intact()) << "first wrong byte at " << checker.first_mismatch();
  EXPECT_LT(growth, kMemoryBudget);
}

TEST_F(StreamingTest, ClientAbandoningADownloadReleasesTheUpstream) {
  const pid_t pid = portico_.process->pid();
  const std::size_t descriptors_before = open_descriptors(pid);
  {
    RawConnection connection("127.0.0.1", portico_.http_port);
    ASSERT_TRUE(connection.send("GET /bytes/1073741824 HTTP/1.1\r\nHost: demo.local\r\n\r\n"));
    std::size_t received = 0;
    while (received < (1u << 20)) {
      const std::string more = connection.read_some(5s);
      ASSERT_FALSE(more.empty());
      received += more.size();
    }
  }  // closed mid-body
  // Neither the client socket nor the half-used upstream connection may stay open.
  EXPECT_TRUE(eventually([&] { return open_descriptors(pid) <= descriptors_before; }))
      << open_descriptors(pid) << " descriptors open, " << descriptors_before << " before";
  EXPECT_EQ(status_of("/"), 200);
}

}  // namespace
}  // namespace portico::testing
