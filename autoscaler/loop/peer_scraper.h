#pragma once
// Reads Portico's peers' queue-depth figures on a thread of its own, every `period`, one peer
// after the other. A peer that accepts and never answers holds up that thread until the scrape
// timeout, never the leader's loop, which polls this replica's load every 100 ms and must act on
// a rise at once. The loop hands it the current peers and takes the latest figures; neither
// call waits on the network.
//
// Threads: set_peers() and latest() from any thread (one mutex, held to copy, never across a
// scrape); the scrapes run on the scraper's own thread, which stop() (or the destructor) joins.
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "autoscaler/decision/recommendation_history.h"
#include "autoscaler/sources/peer_queue_depth.h"
#include "common/background_loop.h"
#include "common/result.h"

namespace portico::autoscaler {

struct PeerFigures {
  PeerLoad load;
  TimePoint scraped_at;  // steady clock, when the scrape ended
};

class PeerScraper {
 public:
  // One bounded, blocking read of a peer: scrape_queue_depth() in production.
  using Scrape = std::function<Result<PeerLoad>(const std::string& address)>;

  PeerScraper(Scrape scrape, std::chrono::milliseconds period);
  ~PeerScraper() { stop(); }
  PeerScraper(const PeerScraper&) = delete;
  PeerScraper& operator=(const PeerScraper&) = delete;

  void start();
  void stop();

  // The addresses to scrape from now on; empty stops scraping (a follower needs no figures).
  // A peer no longer listed loses its figures.
  void set_peers(std::vector<std::string> addresses);
  // The last figures read from each listed peer, by address; a peer not read yet is absent.
  std::map<std::string, PeerFigures> latest() const;

 private:
  void run();

  const Scrape scrape_;
  const std::chrono::milliseconds period_;
  mutable std::mutex mutex_;
  std::vector<std::string> peers_;              // guarded by mutex_
  std::map<std::string, PeerFigures> figures_;  // guarded by mutex_
  BackgroundLoop loop_;                         // last: stopped before the members it uses go
};

}  // namespace portico::autoscaler
