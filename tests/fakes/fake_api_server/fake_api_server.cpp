// The public face of the fake API server: lifecycle (listener thread, connection threads,
// prompt stop), and the control and observation methods tests call from their own threads.
#include "tests/fakes/fake_api_server/fake_api_server.h"

#include <sys/socket.h>

#include <chrono>
#include <stdexcept>
#include <thread>
#include <utility>

#include <boost/asio/ip/tcp.hpp>

#include "tests/fakes/fake_api_server/http_connection.h"
#include "tests/fakes/fake_api_server/server_core.h"

namespace portico::testing {
namespace {

using boost::asio::ip::tcp;

web::json::value parse_object(const std::string& object_json) {
  try {
    return web::json::value::parse(object_json);
  } catch (const web::json::json_exception& error) {
    throw std::invalid_argument(std::string("fake API server: object is not JSON: ") +
                                error.what());
  }
}

// Joins, outside the mutex, the connection threads that have returned.
void join_finished(ServerCore& core) {
  std::vector<std::thread> finished;
  {
    const std::lock_guard lock(core.mutex);
    for (const uint64_t id : core.finished_connections) {
      const auto it = core.connection_threads.find(id);
      if (it == core.connection_threads.end()) continue;
      finished.push_back(std::move(it->second));
      core.connection_threads.erase(it);
    }
    core.finished_connections.clear();
  }
  for (std::thread& thread : finished) thread.join();
}

// The listener thread: accepts until stop() shuts the listening socket down.
void accept_loop(ServerCore& core, tcp::acceptor acceptor) {
  while (true) {
    tcp::socket socket(core.io);
    boost::system::error_code error;
    acceptor.accept(socket, error);
    join_finished(core);
    {
      const std::lock_guard lock(core.mutex);
      if (core.stopping) break;
      if (!error) {
        const uint64_t id = core.next_connection_id++;
        core.connection_fds[id] = socket.native_handle();
        core.connection_threads[id] =
            std::thread(run_connection, std::ref(core), id, std::move(socket));
        continue;
      }
    }
    // An aborted connection, or no file descriptor left for a moment: try again soon.
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  boost::system::error_code ignored;
  acceptor.close(ignored);
}

}  // namespace

struct FakeApiServer::State : ServerCore {
  using ServerCore::ServerCore;
};

FakeApiServer::FakeApiServer(FakeApiServerOptions options)
    : state_(std::make_unique<State>(std::move(options))) {}

FakeApiServer::~FakeApiServer() {
  stop();
}

void FakeApiServer::start(uint16_t port) {
  ServerCore& core = *state_;
  const std::lock_guard lock(core.mutex);
  if (core.running) throw std::logic_error("fake API server: start() while running");
  tcp::acceptor acceptor(core.io);
  acceptor.open(tcp::v4());
  // start(port()) after stop() must get the port back despite connections in TIME_WAIT.
  acceptor.set_option(tcp::acceptor::reuse_address(true));
  acceptor.bind(tcp::endpoint(boost::asio::ip::make_address_v4("127.0.0.1"), port));
  acceptor.listen();
  core.port = acceptor.local_endpoint().port();
  core.listen_fd = acceptor.native_handle();
  core.running = true;
  core.listener = std::thread(accept_loop, std::ref(core), std::move(acceptor));
}

void FakeApiServer::stop() {
  ServerCore& core = *state_;
  std::thread listener;
  {
    const std::lock_guard lock(core.mutex);
    if (!core.running) return;
    core.stopping = true;
    // shutdown() wakes every thread blocked on these sockets (accept, read, write, TLS
    // handshake); each thread then closes its own socket.
    ::shutdown(core.listen_fd, SHUT_RDWR);
    for (const auto& [id, fd] : core.connection_fds) ::shutdown(fd, SHUT_RDWR);
    core.watches.wake_all();
    listener = std::move(core.listener);
  }
  listener.join();  // after this no connection thread is added
  std::map<uint64_t, std::thread> connections;
  {
    const std::lock_guard lock(core.mutex);
    connections = std::move(core.connection_threads);
    core.connection_threads.clear();
  }
  for (auto& [id, thread] : connections) thread.join();
  const std::lock_guard lock(core.mutex);
  core.finished_connections.clear();
  core.listen_fd = -1;
  core.stopping = false;
  core.running = false;
}

uint16_t FakeApiServer::port() const {
  const std::lock_guard lock(state_->mutex);
  return state_->port;
}

std::string FakeApiServer::url() const {
  return std::string(state_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port());
}

void FakeApiServer::serve_group_version(const std::string& path, bool served) {
  const std::lock_guard lock(state_->mutex);
  if (served) {
    state_->served_group_versions.insert(path);
  } else {
    state_->served_group_versions.erase(path);
  }
}

std::string FakeApiServer::create(const std::string& resource, const std::string& object_json) {
  web::json::value object = parse_object(object_json);
  const std::lock_guard lock(state_->mutex);
  return state_->write(resource, std::move(object))->json;
}

std::string FakeApiServer::update(const std::string& resource, const std::string& object_json) {
  return create(resource, object_json);  // the store writes whether or not the object exists
}

void FakeApiServer::remove(const std::string& resource, const std::string& namespace_,
                           const std::string& name) {
  const std::lock_guard lock(state_->mutex);
  state_->remove(resource, namespace_, name);
}

std::optional<std::string> FakeApiServer::get(const std::string& resource,
                                              const std::string& namespace_,
                                              const std::string& name) const {
  const std::lock_guard lock(state_->mutex);
  const ObjectRef object = state_->store.find(resource, namespace_, name);
  if (!object) return std::nullopt;
  return object->json;
}

std::vector<std::string> FakeApiServer::list(const std::string& resource) const {
  const std::lock_guard lock(state_->mutex);
  const ListPage page = state_->store.list(resource, std::nullopt, std::nullopt, 0,
                                           [](const StoredObject&) { return true; });
  std::vector<std::string> objects;
  objects.reserve(page.items.size());
  for (const ObjectRef& object : page.items) objects.push_back(object->json);
  return objects;
}

std::string FakeApiServer::resource_version() const {
  const std::lock_guard lock(state_->mutex);
  return std::to_string(state_->store.resource_version());
}

void FakeApiServer::compact(bool plain_410) {
  const std::lock_guard lock(state_->mutex);
  state_->store.compact();
  state_->plain_410 = plain_410;
}

void FakeApiServer::fail_next(int count, int status) {
  const std::lock_guard lock(state_->mutex);
  state_->failures_left = count;
  state_->failure_status = status;
}

void FakeApiServer::hang_requests(bool hanging) {
  const std::lock_guard lock(state_->mutex);
  state_->hanging = hanging;
}

void FakeApiServer::drop_watches() {
  const std::lock_guard lock(state_->mutex);
  state_->watches.drop_all();
}

void FakeApiServer::stall_watches(bool stalled) {
  const std::lock_guard lock(state_->mutex);
  state_->watches.set_stalled(stalled);
}

void FakeApiServer::send_bookmarks() {
  const std::lock_guard lock(state_->mutex);
  state_->watches.send_bookmarks();
}

std::vector<RecordedRequest> FakeApiServer::requests() const {
  const std::lock_guard lock(state_->mutex);
  return state_->requests;
}

void FakeApiServer::clear_requests() {
  const std::lock_guard lock(state_->mutex);
  state_->requests.clear();
}

std::size_t FakeApiServer::open_watches() const {
  const std::lock_guard lock(state_->mutex);
  return state_->watches.size();
}

}  // namespace portico::testing
