#pragma once
// Runs an external tool to completion with some text on its stdin (promtool, for example).
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace portico::testing {

struct ProgramResult {
  int exit_code = -1;  // -1: could not start, was killed, or timed out
  std::string output;  // stdout and stderr together
};

// Starts `program` with `args`, writes `input` to its stdin and closes it, collects its
// output, and waits at most `timeout` before killing it (by its own PID).
ProgramResult run_program(const std::string& program, const std::vector<std::string>& args,
                          const std::string& input,
                          std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace portico::testing
