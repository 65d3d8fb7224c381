#pragma once
// Keeps StoreContents::resolved_names current for ExternalName Services: resolves each
// external name when it first appears and every `refresh` after, so that a DNS change
// reaches the proxy without a restart. A name that stops resolving keeps its last good
// addresses (with a warning): a DNS hiccup must not turn into 503s.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "controller/store/object_store.h"

namespace portico::controller {

// Name -> IP literals. Blocking (getaddrinfo): runs only on the resolver's thread.
using NameLookup = std::function<Result<std::vector<std::string>>(const std::string& name)>;
Result<std::vector<std::string>> lookup_with_getaddrinfo(const std::string& name);

// The external names (not IP literals) of the ExternalName Services in `contents`. Pure.
std::set<std::string> external_names(const StoreContents& contents);

// Threads: mark_dirty() from any thread (the store's change callback), never blocks on DNS;
// start() runs the loop on the resolver's own thread; stop() joins it.
class ExternalNameResolver {
 public:
  ExternalNameResolver(ObjectStore& store, std::chrono::milliseconds refresh,
                       NameLookup lookup = lookup_with_getaddrinfo);
  ~ExternalNameResolver();
  ExternalNameResolver(const ExternalNameResolver&) = delete;
  ExternalNameResolver& operator=(const ExternalNameResolver&) = delete;

  void mark_dirty();
  void start();
  void stop();

 private:
  void run();
  void resolve(const std::set<std::string>& names, bool refresh_all);

  ObjectStore& store_;
  const std::chrono::milliseconds refresh_;
  const NameLookup lookup_;
  std::map<std::string, std::vector<std::string>> resolved_;  // loop thread only

  std::mutex mutex_;  // guards dirty_, stopping_
  std::condition_variable wake_;
  bool dirty_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace portico::controller
