// End-to-end controller benchmarks: the real portico binary (--kubeconfig) watching the fake
// API server over real HTTP, as in tests/integration/kubernetes_api_test.cpp.
//
//   propagation: two echo backends share a port on 127.0.0.2 and 127.0.0.3 behind one
//     Service, Ingress and EndpointSlice. Each change points the slice at the other backend;
//     the time counted runs from just before FakeApiServer::update() to the first response,
//     on one keep-alive connection polled in a tight loop, that comes from the new backend.
//     Portico's "routes published" log line splits it into update -> published (watch
//     delivery + debounce + translation) and published -> first new response (the post to
//     the worker, which also frees the previous snapshot there, and the request itself).
//   scale: the server holds N Ingresses (one host, one path each), N Services and N
//     EndpointSlices of E endpoints (10.x addresses nobody listens on), created before
//     portico starts. Measured: start to "initial sync complete" and to /readyz 200, the
//     first snapshot's translate_ms, translate_ms of rebuilds after single slice changes
//     (one endpoint of one slice replaced, as one step of a rollout),
//     VmRSS/VmHWM after sync, and the list requests the sync made.
//
// With --background N, propagation runs with N more of the scale mode's services in the
// cluster, so that every snapshot is a large one. Every run starts a fresh portico; the program
// prints each run and the median over runs. Log timestamps have millisecond resolution, so the
// split figures are +-1 ms.
//
// Usage: controller_bench propagation [--changes 200] [--runs 3] [--background 0] [--gap 100]
//        controller_bench scale [--objects 5000] [--endpoints 10] [--rebuilds 10] [--runs 3]
//        controller_bench serve [--objects 5000] [--endpoints 10]
// `serve` only fills the fake API server and prints a kubeconfig, so that portico can be
// started by hand under a profiler, e.g. (collecting translations only):
//   valgrind --tool=callgrind --collect-atstart=no
//       --toggle-collect='*Reconciler::reconcile_now*' portico --kubeconfig FILE ...
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "tests/fakes/fake_api_server/fake_api_server.h"
#include "tests/integration/support/http_client.h"
#include "tests/integration/support/portico_fixture.h"

namespace {

using namespace std::chrono_literals;
using portico::testing::Backend;
using portico::testing::ChildProcess;
using portico::testing::FakeApiServer;
using portico::testing::FakeApiServerOptions;
using portico::testing::field_of;
using SystemTime = std::chrono::system_clock::time_point;

constexpr char kToken[] = "bench-token";
constexpr char kServices[] = "/api/v1/services";
constexpr char kSlices[] = "/apis/discovery.k8s.io/v1/endpointslices";
constexpr char kIngresses[] = "/apis/networking.k8s.io/v1/ingresses";
constexpr char kPublished[] = "routes published";

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "controller_bench: %s\n", what.c_str());
  std::exit(1);
}

// ---- Objects -------------------------------------------------------------------------------

std::string service_json(const std::string& ns, const std::string& name) {
  return R"({"metadata":{"name":")" + name + R"(","namespace":")" + ns +
         R"("},"spec":{"ports":[{"name":"http","port":80,"targetPort":"http"}]}})";
}

std::string ingress_json(const std::string& ns, const std::string& name, const std::string& host,
                         const std::string& service) {
  return R"({"metadata":{"name":")" + name + R"(","namespace":")" + ns +
         R"("},"spec":{"ingressClassName":"portico","rules":[{"host":")" + host +
         R"(","http":{"paths":[{"path":"/","pathType":"Prefix","backend":{"service":{"name":")" +
         service + R"(","port":{"number":80}}}}]}}]}})";
}

// The slice `service`-0 of `service`: every address ready, all on `port`.
std::string slice_json(const std::string& ns, const std::string& service,
                       const std::vector<std::string>& addresses, uint16_t port) {
  std::string endpoints;
  for (const std::string& address : addresses) {
    if (!endpoints.empty()) endpoints += ",";
    endpoints += R"({"addresses":[")" + address + R"("],"conditions":{"ready":true}})";
  }
  return R"({"metadata":{"name":")" + service + R"(-0","namespace":")" + ns +
         R"(","labels":{"kubernetes.io/service-name":")" + service +
         R"("}},"addressType":"IPv4","ports":[{"name":"http","port":)" + std::to_string(port) +
         R"(}],"endpoints":[)" + endpoints + "]}";
}

// A started fake API server with a token user, and a kubeconfig naming it. Used from the
// bench's main thread only (the server itself serves on its own threads).
struct Cluster {
  Cluster() {
    api.start();
    dir.write("kubeconfig",
              "apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n"
              "    server: " +
                  api.url() + "\nusers:\n- name: portico\n  user:\n    token: " + kToken +
                  "\ncontexts:\n- name: fake\n  context:\n    cluster: fake\n"
                  "    user: portico\ncurrent-context: fake\n");
  }
  std::vector<std::string> portico_args() const {
    return {"--kubeconfig", (dir.path() / "kubeconfig").string(), "--workers", "1"};
  }

  FakeApiServer api{FakeApiServerOptions{kToken, "", "", "", 0}};
  portico::testing::TempDir dir;
};

// ---- Portico's log -------------------------------------------------------------------------

// The wall-clock time a text log line was written ("2026-11-22T05:07:01.123Z info ...").
SystemTime log_time(const std::string& line) {
  std::tm utc{};
  int millis = 0;
  if (std::sscanf(line.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &utc.tm_year, &utc.tm_mon,
                  &utc.tm_mday, &utc.tm_hour, &utc.tm_min, &utc.tm_sec, &millis) != 7) {
    die("no timestamp in log line: " + line);
  }
  utc.tm_year -= 1900;
  utc.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&utc)) + std::chrono::milliseconds(millis);
}

double number_field(const std::string& line, const std::string& key) {
  const std::string value = field_of(line, key);
  if (value.empty()) die("no " + key + "= in log line: " + line);
  return std::stod(value);
}

// Waits for the "routes published" line of generation `generation`.
std::string published_line(ChildProcess& portico, int generation) {
  const std::string needle =
      std::string(kPublished) + " generation=" + std::to_string(generation) + " ";
  const auto line = portico.wait_for_line(needle, 30s);
  if (!line) die("no '" + needle + "' within 30 s:\n" + portico.output());
  return *line;
}

double milliseconds_between(SystemTime from, SystemTime to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// ---- Statistics ----------------------------------------------------------------------------

// Nearest-rank percentile of `values` (p in 0..100).
double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  std::size_t rank =
      static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size()) + 0.999999);
  rank = std::clamp<std::size_t>(rank, 1, values.size());
  return values[rank - 1];
}

double median(const std::vector<double>& values) {
  return percentile(values, 50);
}

// One figure over the runs: "median (min-max)".
void print_over_runs(const char* name, const std::vector<double>& per_run, const char* unit) {
  const auto [low, high] = std::minmax_element(per_run.begin(), per_run.end());
  std::printf("  %-34s %9.1f %s   (runs: %.1f-%.1f)\n", name, median(per_run), unit, *low, *high);
}

// Collects named figures run by run, then prints each one's median and spread. Main thread
// only.
class RunTable {
 public:
  void add(const std::string& name, double value, const std::string& unit) {
    if (!figures_.contains(name)) order_.push_back(name);
    figures_[name].values.push_back(value);
    figures_[name].unit = unit;
  }
  void print(int runs) const {
    std::printf("== median over %d runs (run-to-run min-max)\n", runs);
    for (const std::string& name : order_) {
      const Figure& figure = figures_.at(name);
      print_over_runs(name.c_str(), figure.values, figure.unit.c_str());
    }
  }

 private:
  struct Figure {
    std::vector<double> values;
    std::string unit;
  };
  std::vector<std::string> order_;
  std::map<std::string, Figure> figures_;
};

struct Options {
  int runs = 3;
  int changes = 200;
  int objects = 5000;
  int background = 0;  // propagation: other Ingresses, Services and slices in the cluster
  int endpoints = 10;
  int rebuilds = 10;
  // propagation: pause between one change being served and the next change. Longer than the
  // reconciler's 50 ms debounce, changes are separate edits (each published at once); 0 makes
  // them one long burst (each waits for the debounce).
  int gap_ms = 100;
};

// ---- A cluster of many services (scale mode; background of the propagation mode) ----

std::string numbered(const char* prefix, int i) {
  char text[32];
  std::snprintf(text, sizeof text, "%s%05d", prefix, i);
  return text;
}

std::string namespace_of(int i) {
  return "team-" + std::to_string(i % 50);
}

// Endpoint j of the whole cluster: unique, never listening, never 10.x.y.0.
std::string endpoint_address(int j) {
  return "10." + std::to_string((j >> 14) & 255) + "." + std::to_string((j >> 6) & 255) + "." +
         std::to_string((j & 63) + 1);
}

// Version 0 is the slice as created; version v > 0 has its first endpoint replaced by a new
// address of its own (10.250.x.y), as when one pod of a rollout is replaced.
std::string scale_slice(int service, int endpoints, int version) {
  std::vector<std::string> addresses;
  for (int k = 0; k < endpoints; ++k) {
    addresses.push_back(endpoint_address(service * endpoints + k));
  }
  if (version > 0) {
    addresses.front() =
        "10.250." + std::to_string((version >> 6) & 255) + "." + std::to_string((version & 63) + 1);
  }
  return slice_json(namespace_of(service), numbered("svc-", service), addresses, 8080);
}

void fill(FakeApiServer& api, const Options& options) {
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < options.objects; ++i) {
    const std::string ns = namespace_of(i);
    const std::string service = numbered("svc-", i);
    api.create(kServices, service_json(ns, service));
    api.create(kSlices, scale_slice(i, options.endpoints, 0));
    api.create(kIngresses,
               ingress_json(ns, numbered("ing-", i), service + ".bench.example", service));
  }
  std::printf(
      "filled the fake API server: %d Ingresses, %d Services, %d EndpointSlices, "
      "%d endpoints in %.1f s (not measured)\n",
      options.objects, options.objects, options.objects, options.objects * options.endpoints,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  std::fflush(stdout);
}

// ---- Propagation ---------------------------------------------------------------------------

// One GET on a keep-alive connection; the X-Backend header of the answer, or "" when none.
std::string backend_of_next_response(portico::testing::RawConnection& connection) {
  static constexpr char kRequest[] = "GET / HTTP/1.1\r\nHost: shop.example\r\n\r\n";
  if (!connection.send(kRequest)) die("portico closed the client connection");
  const auto response = connection.read_response(5s);
  if (!response) die("no response from portico within 5 s");
  return response->status == 200 ? response->header("X-Backend") : "";
}

void propagation_run(const Options& options, RunTable& table) {
  Cluster cluster;
  Backend web1 = portico::testing::start_backend("127.0.0.2", "web1");
  Backend web2 = portico::testing::start_backend("127.0.0.3", "web2", web1.port);
  const uint16_t port = web1.port;
  if (options.background > 0)
    fill(cluster.api, {.objects = options.background, .endpoints = options.endpoints});
  cluster.api.create(kServices, service_json("demo", "web"));
  cluster.api.create(kSlices, slice_json("demo", "web", {web1.ip}, port));
  cluster.api.create(kIngresses, ingress_json("demo", "shop", "shop.example", "web"));
  portico::testing::Portico portico = portico::testing::start_portico_with(cluster.portico_args());
  portico::testing::RawConnection connection("127.0.0.1", portico.http_port);
  if (backend_of_next_response(connection) != "web1") die("web1 does not answer before changes");

  int generation = 1;  // the initial snapshot
  published_line(*portico.process, generation);
  std::vector<double> total, to_published, translate, published_to_response;
  std::vector<int> polls;
  for (int change = 0; change < options.changes; ++change) {
    const Backend& next = change % 2 == 0 ? web2 : web1;
    const std::string name = change % 2 == 0 ? "web2" : "web1";
    const SystemTime wall_start = std::chrono::system_clock::now();
    const auto start = std::chrono::steady_clock::now();
    cluster.api.update(kSlices, slice_json("demo", "web", {next.ip}, port));
    int requests = 0;
    do {
      ++requests;
      if (std::chrono::steady_clock::now() - start > 10s) die("new backend not seen in 10 s");
    } while (backend_of_next_response(connection) != name);
    const auto seen = std::chrono::steady_clock::now();
    const SystemTime wall_seen = std::chrono::system_clock::now();

    // One change, one snapshot: nothing else touches the store between changes.
    const std::string line = published_line(*portico.process, ++generation);
    total.push_back(std::chrono::duration<double, std::milli>(seen - start).count());
    to_published.push_back(milliseconds_between(wall_start, log_time(line)));
    translate.push_back(number_field(line, "translate_ms"));
    published_to_response.push_back(milliseconds_between(log_time(line), wall_seen));
    polls.push_back(requests);
    std::this_thread::sleep_for(std::chrono::milliseconds(options.gap_ms));
  }

  std::printf(
      "run: %d changes, update -> first response from the new backend (ms): "
      "p50 %.1f p90 %.1f p99 %.1f max %.1f; medians: update->published %.0f, "
      "translate %.2f, published->response %.0f; GETs per change %.0f\n",
      options.changes, percentile(total, 50), percentile(total, 90), percentile(total, 99),
      percentile(total, 100), median(to_published), median(translate),
      median(published_to_response), median(std::vector<double>(polls.begin(), polls.end())));
  std::fflush(stdout);
  table.add("propagation p50", percentile(total, 50), "ms");
  table.add("propagation p90", percentile(total, 90), "ms");
  table.add("propagation p99", percentile(total, 99), "ms");
  table.add("propagation max", percentile(total, 100), "ms");
  table.add("update -> published, p50", median(to_published), "ms");
  table.add("update -> published, p99", percentile(to_published, 99), "ms");
  table.add("translate_ms, p50", median(translate), "ms");
  table.add("published -> new response, p99", percentile(published_to_response, 99), "ms");
}

// ---- Scale ---------------------------------------------------------------------------------

// VmRSS and VmHWM of `pid`, in MiB.
std::pair<double, double> resident_mib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  double rss = 0, hwm = 0;
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmRSS:")) rss = std::stod(line.substr(6)) / 1024;
    if (line.starts_with("VmHWM:")) hwm = std::stod(line.substr(6)) / 1024;
  }
  return {rss, hwm};
}

// List pages (GETs with limit=) per resource since the last clear, and all requests.
std::pair<std::map<std::string, int>, int> list_pages(const FakeApiServer& api) {
  const std::vector<portico::testing::RecordedRequest> requests = api.requests();
  std::map<std::string, int> pages;
  for (const portico::testing::RecordedRequest& request : requests) {
    if (request.method != "GET" || request.target.find("limit=") == std::string::npos) continue;
    const std::string path = request.target.substr(0, request.target.find('?'));
    pages[path.substr(path.rfind('/') + 1)] += 1;
  }
  return {pages, static_cast<int>(requests.size())};
}

void scale_run(Cluster& cluster, const Options& options, int run, RunTable& table) {
  cluster.api.clear_requests();
  std::vector<std::string> args = {
      "--http-port",      "0",         "--metrics-port",    "0",
      "--listen-address", "127.0.0.1", "--metrics-address", "127.0.0.1"};
  for (const std::string& arg : cluster.portico_args()) args.push_back(arg);
  const SystemTime wall_start = std::chrono::system_clock::now();
  const auto start = std::chrono::steady_clock::now();
  ChildProcess portico(PORTICO_BINARY, args);

  const auto metrics = portico.wait_for_line("metrics listening", 30s);
  if (!metrics) die("portico did not start:\n" + portico.output());
  const auto metrics_port = static_cast<uint16_t>(std::stoi(field_of(*metrics, "port")));
  // Polled every 5 ms: the figure is that fine.
  for (;;) {
    const auto response =
        portico::testing::http_request(metrics_port, "GET", "/readyz", "localhost", {}, {}, 1s);
    if (response && response->status == 200) break;
    if (std::chrono::steady_clock::now() - start > 120s)
      die("not ready in 120 s\n" + portico.output());
    std::this_thread::sleep_for(5ms);
  }
  const auto ready_at = std::chrono::steady_clock::now();
  const auto synced = portico.wait_for_line("initial sync complete", 5s);
  if (!synced) die("no 'initial sync complete':\n" + portico.output());
  const std::string first = published_line(portico, 1);
  const auto [rss_synced, hwm_synced] = resident_mib(portico.pid());
  const auto [pages, requests] = list_pages(cluster.api);
  if (number_field(first, "hosts") < options.objects) die("hosts missing: " + first);

  std::vector<double> rebuild, to_published;
  for (int change = 0; change < options.rebuilds; ++change) {
    const int service = (change * 977 + run * 131) % options.objects;
    const SystemTime wall_change = std::chrono::system_clock::now();
    cluster.api.update(kSlices, scale_slice(service, options.endpoints, change + 1));
    const std::string line = published_line(portico, change + 2);
    rebuild.push_back(number_field(line, "translate_ms"));
    to_published.push_back(milliseconds_between(wall_change, log_time(line)));
  }
  const auto [rss_after, hwm_after] = resident_mib(portico.pid());
  portico.signal(SIGTERM);
  portico.wait_exit(20s);

  const double sync_ms = milliseconds_between(wall_start, log_time(*synced));
  const double ready_ms = std::chrono::duration<double, std::milli>(ready_at - start).count();
  std::string page_text;
  int page_total = 0;
  for (const auto& [resource, count] : pages) {
    page_text += " " + resource + "=" + std::to_string(count);
    page_total += count;
  }
  std::printf(
      "run %d: start->sync %.0f ms, start->readyz 200 %.0f ms, first translate %.1f ms "
      "(hosts=%s backends=%s), rebuild translate median %.1f ms (max %.1f), "
      "change->published median %.0f ms, RSS after sync %.1f MiB (HWM %.1f), after "
      "rebuilds %.1f MiB (HWM %.1f), list pages %d:%s, API requests until synced %d\n",
      run, sync_ms, ready_ms, number_field(first, "translate_ms"), field_of(first, "hosts").c_str(),
      field_of(first, "backends").c_str(), median(rebuild), percentile(rebuild, 100),
      median(to_published), rss_synced, hwm_synced, rss_after, hwm_after, page_total,
      page_text.c_str(), requests);
  std::fflush(stdout);
  table.add("start -> initial sync complete", sync_ms, "ms");
  table.add("start -> /readyz 200", ready_ms, "ms");
  table.add("first snapshot translate_ms", number_field(first, "translate_ms"), "ms");
  table.add("rebuild translate_ms (median)", median(rebuild), "ms");
  table.add("slice change -> published (median)", median(to_published), "ms");
  table.add("VmRSS after sync", rss_synced, "MiB");
  table.add("VmHWM after sync", hwm_synced, "MiB");
  table.add("VmHWM after rebuilds", hwm_after, "MiB");
  table.add("list pages", page_total, "");
  table.add("API requests until synced", requests, "");
}

// Holds the scale mode's objects for a portico started by hand (under callgrind, perf,
// heaptrack): each line on stdin changes one EndpointSlice, end of input stops.
void serve(const Options& options) {
  Cluster cluster;
  fill(cluster.api, options);
  std::printf("kubeconfig %s\nEnter: change one EndpointSlice; end of input: stop\n",
              (cluster.dir.path() / "kubeconfig").c_str());
  std::fflush(stdout);
  for (int change = 1; std::getchar() != EOF; ++change) {
    const int service = (change * 977) % options.objects;
    cluster.api.update(kSlices, scale_slice(service, options.endpoints, change));
    std::printf("changed %s/%s-0\n", namespace_of(service).c_str(),
                numbered("svc-", service).c_str());
    std::fflush(stdout);
  }
}

int count(const char* text) {
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (*text == '\0' || *end != '\0' || value < 0 || value > 1'000'000) {
    die(std::string("expected a count, got '") + text + "'");
  }
  return static_cast<int>(value);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) die("usage: controller_bench propagation|scale|serve [--runs N] [...]");
  const std::string mode = argv[1];
  Options options;
  if (argc % 2 != 0) die("every flag takes a value");
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    int* target = flag == "--runs"         ? &options.runs
                  : flag == "--changes"    ? &options.changes
                  : flag == "--objects"    ? &options.objects
                  : flag == "--endpoints"  ? &options.endpoints
                  : flag == "--rebuilds"   ? &options.rebuilds
                  : flag == "--background" ? &options.background
                  : flag == "--gap"        ? &options.gap_ms
                                           : nullptr;
    if (target == nullptr) die("unknown flag " + flag);
    *target = count(argv[i + 1]);
  }
  if (std::min({options.runs, options.changes, options.objects, options.endpoints,
                options.rebuilds}) < 1) {
    die("only --background and --gap may be 0");
  }
  ::signal(SIGPIPE, SIG_IGN);
  RunTable table;
  if (mode == "serve") {
    serve(options);
    return 0;
  }
  if (mode == "propagation") {
    for (int run = 1; run <= options.runs; ++run) propagation_run(options, table);
  } else if (mode == "scale") {
    Cluster cluster;
    fill(cluster.api, options);
    for (int run = 1; run <= options.runs; ++run) scale_run(cluster, options, run, table);
  } else {
    die("unknown mode '" + mode + "': propagation, scale or serve");
  }
  table.print(options.runs);
  return 0;
}
