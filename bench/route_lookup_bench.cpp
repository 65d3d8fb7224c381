// Microbenchmark of RouteTable::match(): does lookup cost stay flat as the number of hosts
// grows? Builds one table per size (each host with a few Exact and Prefix paths, plus one
// wildcard host per ten hosts) and times the same mix of lookups against each: hits on
// random hosts, deep paths, wildcard hosts, unknown hosts and unmatched paths.
//
// Wall time on a shared machine is noisy; callgrind's instruction counts are exact and
// repeatable. Count only the timed loop, one size per run, and divide by the lookup count:
//   valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*time_lookups*'
//       --callgrind-out-file=/tmp/route_lookup.cg build/bench/route_lookup_bench 1000000 10
//   callgrind_annotate /tmp/route_lookup.cg | grep 'PROGRAM TOTALS'
//
// Usage: route_lookup_bench [lookups per size (default 4000000)] [host counts
// (default 10 1000 10000)]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "proxy/router/route_table.h"
#include "proxy/snapshot/route_snapshot.h"

namespace {

using portico::proxy::PathRule;
using portico::proxy::PathType;
using portico::proxy::RouteTable;
using portico::proxy::RouteTarget;

// A power of two, so the lookup loop picks the next query with a mask. Large enough that
// the queries spread over every host of the largest table's hot part, small enough to stay
// in cache themselves.
constexpr std::size_t kQueryCount = 8192;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "route_lookup_bench: %s\n", what.c_str());
  std::exit(1);
}

// Names have the same length at every table size, so that hashing and lowercasing them
// cost the same and only the table's size differs between the runs.
std::string numbered(std::string_view prefix, std::size_t i) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%05zu", i);
  return std::string(prefix) + digits;
}

std::string exact_host(std::size_t i) {
  return numbered("svc-", i) + ".team-" + std::to_string(i % 10) + ".example.com";
}

std::string wildcard_domain(std::size_t i) {
  return numbered("tenant-", i) + ".apps.example.net";
}

std::size_t wildcard_count(std::size_t hosts) {
  return std::max<std::size_t>(1, hosts / 10);
}

// The shape of a typical Ingress: a landing page, a health check, an API and static files.
RouteTable build_table(std::size_t hosts) {
  RouteTable::Builder builder;
  auto add = [&builder](const std::string& host, PathType type, const char* path) {
    auto target = std::make_shared<RouteTarget>();
    target->ingress = host + path;
    std::string why;
    if (!builder.add(host, PathRule{type, path, std::move(target)}, &why)) die(why);
  };
  for (std::size_t i = 0; i < hosts; ++i) {
    const std::string host = exact_host(i);
    add(host, PathType::kExact, "/");
    add(host, PathType::kExact, "/healthz");
    add(host, PathType::kPrefix, "/api");
    add(host, PathType::kPrefix, "/api/v1/orders");
    add(host, PathType::kPrefix, "/static");
  }
  for (std::size_t i = 0; i < wildcard_count(hosts); ++i) {
    const std::string host = "*." + wildcard_domain(i);
    add(host, PathType::kPrefix, "/");
    add(host, PathType::kExact, "/login");
  }
  return std::move(builder).build();
}

struct Query {
  std::string host;
  std::string path;
};

// The same mix for every size; the hosts are drawn from the table being measured. A fixed
// seed keeps callgrind runs identical.
std::vector<Query> make_queries(std::size_t hosts) {
  std::mt19937 random(20240506);
  auto pick = [&random](std::size_t bound) {
    return std::uniform_int_distribution<std::size_t>(0, bound - 1)(random);
  };
  std::vector<Query> queries;
  queries.reserve(kQueryCount);
  while (queries.size() < kQueryCount) {
    const std::size_t kind = pick(100);
    const std::string number = numbered("", pick(100000));
    Query query;
    if (kind < 35) {  // API call: Prefix match two elements up
      query = {exact_host(pick(hosts)), "/api/v1/orders/" + number};
    } else if (kind < 50) {  // Exact match
      query = {exact_host(pick(hosts)), "/healthz"};
    } else if (kind < 65) {  // deep path: one hash lookup per element until /api/v1/orders
      query = {exact_host(pick(hosts)), "/api/v1/orders/" + number + "/items/7/details/history"};
    } else if (kind < 80) {  // wildcard host
      query = {"web-" + number + "." + wildcard_domain(pick(wildcard_count(hosts))), "/cart/items"};
    } else if (kind < 90) {  // unknown host: exact, wildcard and no-host tables all miss
      query = {"svc-" + number + ".unknown.example.org", "/api/v1/orders"};
    } else {  // known host, unclaimed path: falls through every table
      query = {exact_host(pick(hosts)), "/admin/settings/" + number};
    }
    // Browsers send the port when it is not the default; case is the client's choice.
    if (kind % 4 == 0) query.host += ":8443";
    if (kind % 5 == 0) query.host[0] = static_cast<char>(query.host[0] - 'a' + 'A');
    queries.push_back(std::move(query));
  }
  return queries;
}

struct Tally {
  std::size_t matched = 0;
  std::size_t ingress_bytes = 0;  // depends on which target matched: keeps the work observable
};

// The only function callgrind is told to count; not inlined so that it has a name.
[[gnu::noinline]] Tally time_lookups(const RouteTable& table, const std::vector<Query>& queries,
                                     long lookups) {
  Tally tally;
  for (long i = 0; i < lookups; ++i) {
    const Query& query = queries[static_cast<std::size_t>(i) & (kQueryCount - 1)];
    if (const RouteTarget* target = table.match(query.host, query.path)) {
      ++tally.matched;
      tally.ingress_bytes += target->ingress.size();
    }
  }
  return tally;
}

}  // namespace

int main(int argc, char** argv) {
  const long lookups = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 4'000'000;
  if (lookups <= 0) die("the lookup count must be a positive number");
  std::vector<std::size_t> sizes;
  for (int i = 2; i < argc; ++i) {
    const long hosts = std::strtol(argv[i], nullptr, 10);
    if (hosts <= 0) die(std::string("not a host count: ") + argv[i]);
    sizes.push_back(static_cast<std::size_t>(hosts));
  }
  if (sizes.empty()) sizes = {10, 1000, 10000};

  std::printf("%8s %9s %10s %11s %9s %10s\n", "hosts", "wildcard", "lookups", "ns/lookup",
              "matched", "checksum");
  std::vector<double> nanoseconds;
  for (const std::size_t hosts : sizes) {
    const RouteTable table = build_table(hosts);
    const std::vector<Query> queries = make_queries(hosts);
    // Warm the caches and the branch predictor, outside the function callgrind counts.
    for (const Query& query : queries) table.match(query.host, query.path);
    const auto start = std::chrono::steady_clock::now();
    const Tally tally = time_lookups(table, queries, lookups);
    const std::chrono::duration<double, std::nano> elapsed =
        std::chrono::steady_clock::now() - start;
    nanoseconds.push_back(elapsed.count() / static_cast<double>(lookups));
    std::printf("%8zu %9zu %10ld %11.1f %8.1f%% %10zu\n", hosts, wildcard_count(hosts), lookups,
                nanoseconds.back(), 100.0 * static_cast<double>(tally.matched) / lookups,
                tally.ingress_bytes);
  }
  if (sizes.size() > 1) {
    std::printf("ratio %zu/%zu: %.2f\n", sizes.back(), sizes.front(),
                nanoseconds.back() / nanoseconds.front());
  }
  return 0;
}
