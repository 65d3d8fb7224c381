#include "proxy/snapshot/endpoint_state.h"

#include <algorithm>
#include <chrono>

#include "proxy/net/address_text.h"

namespace portico::proxy {
namespace {
constexpr std::size_t kMinSweepSize = 64;
}  // namespace

EndpointState::EndpointState(std::string key)
    : identity(std::move(key)),
      created_ns(std::chrono::duration_cast<std::chrono::nanoseconds>(
                     std::chrono::steady_clock::now().time_since_epoch())
                     .count()) {}

std::string endpoint_identity(const boost::asio::ip::tcp::endpoint& endpoint) {
  const boost::asio::ip::address address = endpoint.address();
  std::string text;
  text.reserve(48);
  if (address.is_v6()) text += '[';
  text += address_text(address);
  if (address.is_v6()) text += ']';
  text += ':';
  text += std::to_string(endpoint.port());
  return text;
}

std::shared_ptr<EndpointState> EndpointStateRegistry::acquire(const std::string& identity) {
  std::lock_guard lock(mutex_);
  std::weak_ptr<EndpointState>& slot = states_[identity];
  if (std::shared_ptr<EndpointState> live = slot.lock()) return live;

  auto state = std::make_shared<EndpointState>(identity);
  slot = state;
  if (states_.size() >= sweep_at_) {
    std::erase_if(states_, [](const auto& entry) { return entry.second.expired(); });
    sweep_at_ = std::max(kMinSweepSize, 2 * states_.size());
  }
  return state;
}

std::shared_ptr<BackendState> EndpointStateRegistry::acquire_backend(const std::string& key) {
  std::lock_guard lock(mutex_);
  std::weak_ptr<BackendState>& slot = backend_states_[key];
  if (std::shared_ptr<BackendState> live = slot.lock()) return live;
  auto state = std::make_shared<BackendState>();
  slot = state;
  // Backends are few next to endpoints: sweep whenever the map has doubled.
  if (backend_states_.size() >= 2 * backend_sweep_at_) {
    std::erase_if(backend_states_, [](const auto& entry) { return entry.second.expired(); });
    backend_sweep_at_ = std::max<std::size_t>(32, backend_states_.size());
  }
  return state;
}

void EndpointStateRegistry::for_each_endpoint(const std::function<void(EndpointState&)>& visit) {
  std::lock_guard lock(mutex_);
  for (const auto& entry : states_) {
    if (std::shared_ptr<EndpointState> live = entry.second.lock()) visit(*live);
  }
}

std::size_t EndpointStateRegistry::size_for_tests() {
  std::lock_guard lock(mutex_);
  return states_.size();
}

}  // namespace portico::proxy
