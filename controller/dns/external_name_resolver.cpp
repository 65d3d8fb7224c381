#include "controller/dns/external_name_resolver.h"

#include <algorithm>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "common/log.h"

namespace portico::controller {

Result<std::vector<std::string>> lookup_with_getaddrinfo(const std::string& name) {
  boost::asio::io_context context;
  boost::asio::ip::tcp::resolver resolver(context);
  boost::system::error_code error;
  const auto results = resolver.resolve(name, "", error);
  if (error) return Error{"cannot resolve \"" + name + "\": " + error.message()};
  std::vector<std::string> addresses;
  for (const auto& entry : results) addresses.push_back(entry.endpoint().address().to_string());
  std::sort(addresses.begin(), addresses.end());
  addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
  return addresses;
}

std::set<std::string> external_names(const StoreContents& contents) {
  std::set<std::string> names;
  for (const auto& [key, service] : contents.services) {
    if (service->type != "ExternalName" || service->external_name.empty()) continue;
    boost::system::error_code error;
    boost::asio::ip::make_address(service->external_name, error);
    if (error) names.insert(service->external_name);  // IP literals need no lookup
  }
  return names;
}

ExternalNameResolver::ExternalNameResolver(ObjectStore& store, std::chrono::milliseconds refresh,
                                           NameLookup lookup)
    : store_(store), refresh_(refresh), lookup_(std::move(lookup)) {}

ExternalNameResolver::~ExternalNameResolver() {
  stop();
}

void ExternalNameResolver::mark_dirty() {
  {
    std::lock_guard lock(mutex_);
    dirty_ = true;
  }
  wake_.notify_one();
}

void ExternalNameResolver::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { run(); });
}

void ExternalNameResolver::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void ExternalNameResolver::run() {
  auto next_refresh = std::chrono::steady_clock::now() + refresh_;
  while (true) {
    bool refresh_all = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, next_refresh, [this] { return dirty_ || stopping_; });
      if (stopping_) return;
      dirty_ = false;
      if (std::chrono::steady_clock::now() >= next_refresh) {
        refresh_all = true;
        next_refresh = std::chrono::steady_clock::now() + refresh_;
      }
    }
    resolve(external_names(store_.contents()), refresh_all);
  }
}

void ExternalNameResolver::resolve(const std::set<std::string>& names, bool refresh_all) {
  std::map<std::string, std::vector<std::string>> next;
  for (const std::string& name : names) {
    auto known = resolved_.find(name);
    if (known != resolved_.end() && !refresh_all) {
      next.emplace(name, known->second);
      continue;
    }
    Result<std::vector<std::string>> addresses = lookup_(name);
    if (addresses) {
      next.emplace(name, std::move(addresses.value()));
    } else {
      log::warn("external name lookup failed; keeping its last addresses",
                {{"error", addresses.error()}});
      if (known != resolved_.end()) next.emplace(name, known->second);
    }
  }
  if (next == resolved_) return;
  resolved_ = next;
  store_.set_resolved_names(std::move(next));
}

}  // namespace portico::controller
