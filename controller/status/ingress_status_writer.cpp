#include "controller/status/ingress_status_writer.h"

#include <cpprest/json.h>

#include "common/log.h"
#include "controller/kube/api_json.h"

namespace portico::controller::status {
namespace {

// {"status":{"loadBalancer":{"ingress":[{"ip":...},{"hostname":...}]}}}
std::string status_patch(const LoadBalancerStatus& addresses) {
  using web::json::value;
  value entries = value::array(addresses.size());
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    value entry = value::object();
    if (!addresses[i].ip.empty()) entry["ip"] = value::string(addresses[i].ip);
    if (!addresses[i].hostname.empty()) entry["hostname"] = value::string(addresses[i].hostname);
    entries[i] = std::move(entry);
  }
  value load_balancer = value::object();
  load_balancer["ingress"] = std::move(entries);
  value status = value::object();
  status["loadBalancer"] = std::move(load_balancer);
  value patch = value::object();
  patch["status"] = std::move(status);
  return patch.serialize();
}

// "10.0.0.1,lb.example.com", for the log.
std::string describe(const LoadBalancerStatus& addresses) {
  std::string text;
  for (const LoadBalancerIngress& entry : addresses) {
    if (!text.empty()) text += ',';
    text += entry.ip.empty() ? entry.hostname : entry.ip;
  }
  return text;
}

}  // namespace

IngressStatusWriter::IngressStatusWriter(kube::ApiClient& client, IngressStatusWriterConfig config,
                                         std::function<StoreContents()> contents,
                                         std::function<bool()> is_leader)
    : client_(client),
      config_(std::move(config)),
      contents_(std::move(contents)),
      is_leader_(std::move(is_leader)),
      backoff_(config_.retry),
      random_(std::random_device{}()) {}

IngressStatusWriter::~IngressStatusWriter() {
  stop();
}

void IngressStatusWriter::mark_dirty() {
  {
    std::lock_guard lock(loop_.mutex());
    dirty_ = true;
  }
  loop_.wake().notify_one();
}

void IngressStatusWriter::start() {
  loop_.start([this] { run(); });
}

void IngressStatusWriter::stop() {
  loop_.stop();
}

void IngressStatusWriter::run() {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  auto next_resync = Clock::now() + config_.resync_period;
  std::unique_lock lock(loop_.mutex());
  while (true) {
    // While a retry is pending, new marks wait for it: the API server is failing.
    loop_.wake().wait_until(lock, retry_at_.value_or(next_resync),
                            [this] { return loop_.stopping() || (dirty_ && !retry_at_); });
    if (loop_.stopping()) return;
    const auto now = Clock::now();
    if (retry_at_ && now >= *retry_at_) {
      retry_at_.reset();
      dirty_ = true;
    }
    if (now >= next_resync) {
      next_resync = now + config_.resync_period;
      dirty_ = true;
    }
    if (!dirty_ || retry_at_) continue;
    dirty_ = false;
    lock.unlock();
    const bool done = sync();
    lock.lock();
    if (done) {
      backoff_.reset();
    } else {
      retry_at_ = Clock::now() + backoff_.next(uniform(random_));
    }
  }
}

bool IngressStatusWriter::sync() {
  if (!is_leader_()) return true;
  const StoreContents contents = contents_();
  const std::optional<LoadBalancerStatus> target = publish_target(config_.source, contents);
  if (!target) {
    if (!reported_missing_service_) {
      log::warn("ingress status: the publish service is not known yet; status left as is",
                {{"service", std::get<PublishServiceKey>(config_.source).key}});
    }
    reported_missing_service_ = true;
    return true;
  }
  reported_missing_service_ = false;

  bool all_written = true;
  std::map<std::string, Written> written;
  for (const IngressStatusUpdate& update : status_updates(contents, config_.options, *target)) {
    const std::string key = update.namespace_ + "/" + update.name;
    const std::string& version = contents.ingresses.at(key)->meta.resource_version;
    auto previous = written_.find(key);
    if (previous != written_.end() && previous->second.resource_version == version &&
        previous->second.addresses == update.addresses) {
      written.insert(*previous);  // sent already; the store has not caught up yet
      continue;
    }
    // Leadership can end between two writes: stop at once, not after the batch.
    if (!is_leader_()) break;
    if (write(update)) {
      written[key] = Written{version, update.addresses};
    } else {
      all_written = false;
    }
  }
  written_ = std::move(written);
  return all_written;
}

bool IngressStatusWriter::write(const IngressStatusUpdate& update) {
  const std::string target = "/apis/networking.k8s.io/v1/namespaces/" + update.namespace_ +
                             "/ingresses/" + update.name + "/status";
  Result<kube::ApiResponse> response = client_.call(
      kube::Method::kPatch, target, status_patch(update.addresses), "application/merge-patch+json");
  const std::string key = update.namespace_ + "/" + update.name;
  if (!response) {
    log::warn("ingress status: write failed", {{"ingress", key}, {"error", response.error()}});
    return false;
  }
  const int status = response.value().status;
  if (status == 404) {
    log::debug("ingress status: the ingress is gone", {{"ingress", key}});
    return true;
  }
  if (status / 100 != 2) {
    log::warn("ingress status: write refused",
              {{"ingress", key}, {"error", kube::describe_error(status, response.value().body)}});
    return false;
  }
  log::info("ingress status: updated",
            {{"ingress", key}, {"addresses", describe(update.addresses)}});
  return true;
}

}  // namespace portico::controller::status
