#pragma once
// Numbers as the Events and conditions print them: whole values without a fraction ("57"),
// others with at most two decimals ("2.5", "0.33"). Pure; any thread.
#include <string>

namespace portico::autoscaler {

std::string number_text(double value);

}  // namespace portico::autoscaler
