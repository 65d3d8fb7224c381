#include "controller/standalone/directory_watcher.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/log.h"

namespace portico::controller {
namespace {

// Everything that can change what the folder holds, including the folder itself going away.
// IN_ATTRIB catches Kubernetes ConfigMap volumes, which swap a symlink.
constexpr uint32_t kEvents = IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM |
                             IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF;

}  // namespace

DirectoryWatcher::DirectoryWatcher(std::filesystem::path directory,
                                   std::chrono::milliseconds debounce,
                                   std::function<void()> on_change)
    : directory_(std::move(directory)), debounce_(debounce), on_change_(std::move(on_change)) {}

DirectoryWatcher::~DirectoryWatcher() {
  stop();
  if (inotify_fd_ >= 0) ::close(inotify_fd_);
  if (stop_fd_ >= 0) ::close(stop_fd_);
}

Status DirectoryWatcher::open() {
  inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  stop_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (inotify_fd_ < 0 || stop_fd_ < 0) {
    return Error{std::string("cannot watch for manifest changes: ") + std::strerror(errno)};
  }
  if (::inotify_add_watch(inotify_fd_, directory_.c_str(), kEvents) < 0) {
    return Error{directory_.string() + ": cannot watch folder: " + std::strerror(errno)};
  }
  return Ok{};
}

void DirectoryWatcher::start() {
  if (inotify_fd_ < 0 || thread_.joinable()) return;
  thread_ = std::thread([this] { run(); });
}

void DirectoryWatcher::stop() {
  if (!thread_.joinable()) return;
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t ignored = ::write(stop_fd_, &one, sizeof one);
  thread_.join();
}

bool DirectoryWatcher::drain() {
  alignas(inotify_event) char buffer[4096];
  while (::read(inotify_fd_, buffer, sizeof buffer) > 0) {
  }
  pollfd stop{stop_fd_, POLLIN, 0};
  return ::poll(&stop, 1, 0) == 0;
}

void DirectoryWatcher::run() {
  pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
  while (true) {
    if (::poll(fds, 2, -1) < 0 && errno != EINTR) {
      log::error("manifest watcher stopped", {{"error", std::strerror(errno)}});
      return;
    }
    if (!drain()) return;
    // Quiet period: any further event restarts it.
    int ready;
    while ((ready = ::poll(fds, 2, static_cast<int>(debounce_.count()))) != 0) {
      if (ready < 0 && errno != EINTR) break;
      if (!drain()) return;
    }
    on_change_();
  }
}

}  // namespace portico::controller
