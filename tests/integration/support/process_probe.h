#pragma once
// What the kernel says about a running process (/proc/PID): resident memory and open
// descriptors, for tests that bound a proxy's memory or catch descriptor leaks.
#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <thread>

namespace portico::testing {

// VmRSS in bytes; 0 when the process is gone.
uint64_t resident_bytes(pid_t pid);
// Entries in /proc/PID/fd; 0 when the process is gone.
std::size_t open_descriptors(pid_t pid);

// Samples a process's VmRSS every 20 ms on its own thread and keeps the largest value, so a
// short spike between two reads by the test is still seen. peak() may be called from any
// thread; the sampler stops on destruction.
class PeakResidentSampler {
 public:
  explicit PeakResidentSampler(pid_t pid);
  ~PeakResidentSampler();
  PeakResidentSampler(const PeakResidentSampler&) = delete;
  PeakResidentSampler& operator=(const PeakResidentSampler&) = delete;

  uint64_t peak() const { return peak_.load(); }

 private:
  void sample();

  const pid_t pid_;
  std::atomic<uint64_t> peak_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace portico::testing
