#include "autoscaler/loop/peer_scraper.h"

#include <algorithm>

#include "common/log.h"

namespace portico::autoscaler {

PeerScraper::PeerScraper(Scrape scrape, std::chrono::milliseconds period)
    : scrape_(std::move(scrape)), period_(period) {}

void PeerScraper::start() {
  loop_.start([this] { run(); });
}

void PeerScraper::stop() {
  loop_.stop();
}

void PeerScraper::set_peers(std::vector<std::string> addresses) {
  std::lock_guard lock(mutex_);
  std::erase_if(figures_, [&](const auto& entry) {
    return std::find(addresses.begin(), addresses.end(), entry.first) == addresses.end();
  });
  peers_ = std::move(addresses);
}

std::map<std::string, PeerFigures> PeerScraper::latest() const {
  std::lock_guard lock(mutex_);
  return figures_;
}

void PeerScraper::run() {
  do {
    std::vector<std::string> peers;
    {
      std::lock_guard lock(mutex_);
      peers = peers_;
    }
    for (const std::string& address : peers) {
      Result<PeerLoad> scraped = scrape_(address);
      if (!scraped) {
        log::warn("cannot read a peer's queue depth",
                  {{"peer", address}, {"error", scraped.error()}});
        continue;
      }
      std::lock_guard lock(mutex_);
      // Left meanwhile: its figures must not come back.
      if (std::find(peers_.begin(), peers_.end(), address) == peers_.end()) continue;
      figures_[address] = PeerFigures{std::move(scraped.value()), std::chrono::steady_clock::now()};
    }
  } while (loop_.sleep_for(period_));
}

}  // namespace portico::autoscaler
