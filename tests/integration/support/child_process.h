#pragma once
// A program started by a test: its stdout and stderr are collected by a reader thread so a
// test can wait for a line (never sleep), and it is ended by PID, only the one we started.
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace portico::testing {

class ChildProcess {
 public:
  enum class Stream { kStdout = 0, kStderr = 1 };

  ChildProcess(const std::string& program, const std::vector<std::string>& args);
  ~ChildProcess();  // SIGKILL if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }

  // Waits until a line of output contains `needle`; returns that line.
  std::optional<std::string> wait_for_line(const std::string& needle,
                                           std::chrono::milliseconds timeout);
  // Everything printed so far (stdout and stderr interleaved by line).
  std::string output();
  // Everything one stream printed so far, byte for byte (an unterminated last line too).
  std::string text_of(Stream stream);
  // Waits until the program has closed both streams (normally: it exited).
  bool wait_output_closed(std::chrono::milliseconds timeout);

  void signal(int number);
  // Waits for exit; returns the exit status, or nullopt on timeout / death by signal.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);

 private:
  void read_output(int fd, int slot);

  pid_t pid_ = -1;
  bool reaped_ = false;
  int exit_status_ = -1;
  std::thread stdout_reader_;
  std::thread stderr_reader_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> lines_;
  std::string partial_[2];
  std::string text_[2];
  bool closed_[2] = {false, false};
};

// Extracts the value of "key=VALUE" from a text log line, or of "key":"VALUE" from a JSON one.
std::string field_of(const std::string& line, const std::string& key);

}  // namespace portico::testing
