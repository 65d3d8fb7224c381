#include "tests/integration/support/process_probe.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace portico::testing {

uint64_t resident_bytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) return std::stoull(line.substr(6)) * 1024;  // "NNN kB"
  }
  return 0;
}

std::size_t open_descriptors(pid_t pid) {
  std::error_code error;
  std::filesystem::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", error);
  std::size_t count = 0;
  for (; !error && it != std::filesystem::directory_iterator(); it.increment(error)) ++count;
  return count;
}

PeakResidentSampler::PeakResidentSampler(pid_t pid) : pid_(pid) {
  sample();
  thread_ = std::thread([this] {
    while (!stop_.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      sample();
    }
  });
}

PeakResidentSampler::~PeakResidentSampler() {
  stop_ = true;
  thread_.join();
}

void PeakResidentSampler::sample() {
  const uint64_t now = resident_bytes(pid_);
  uint64_t seen = peak_.load();
  while (now > seen && !peak_.compare_exchange_weak(seen, now)) {
  }
}

}  // namespace portico::testing
