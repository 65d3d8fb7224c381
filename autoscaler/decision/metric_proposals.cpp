#include "autoscaler/decision/metric_proposals.h"

#include <string>
#include <string_view>

#include "autoscaler/decision/cpu_replicas.h"
#include "autoscaler/decision/total_replicas.h"

namespace portico::autoscaler {
namespace {

MetricProposal invalid(std::string_view metric, std::string reason) {
  return MetricProposal{std::string(metric), std::nullopt, std::nullopt, std::move(reason)};
}

// Visits one policy metric with the sample taken for it. Lives for one call; any thread.
class Proposer {
 public:
  Proposer(const DecisionInput& input, const MetricSample& sample)
      : input_(input), sample_(sample) {}

  MetricProposal operator()(const controller::CpuMetric& metric) const {
    const auto* pods = std::get_if<CpuSample>(&sample_);
    if (pods == nullptr) return invalid("cpu", "the sample taken is not a pod CPU sample");
    return propose_cpu(metric, *pods, input_.current_replicas, input_.policy->behavior);
  }

  MetricProposal operator()(const controller::QueueDepthMetric& metric) const {
    return total({"queueDepth", "queue depth", metric.target_per_replica, metric.thresholds});
  }

  MetricProposal operator()(const controller::PrometheusMetric& metric) const {
    return total({"prometheus", "prometheus value", metric.target_per_replica, metric.thresholds});
  }

 private:
  MetricProposal total(const TotalMetricSpec& spec) const {
    const auto* sample = std::get_if<TotalSample>(&sample_);
    if (sample == nullptr) return invalid(spec.metric, "the sample taken is not a total");
    return propose_total(spec, *sample, input_.current_replicas, input_.ready_replicas,
                         input_.policy->behavior);
  }

  const DecisionInput& input_;
  const MetricSample& sample_;
};

struct MetricName {
  std::string_view operator()(const controller::CpuMetric&) const { return "cpu"; }
  std::string_view operator()(const controller::QueueDepthMetric&) const { return "queueDepth"; }
  std::string_view operator()(const controller::PrometheusMetric&) const { return "prometheus"; }
};

std::string_view metric_name(const controller::ScalingMetric& metric) {
  return std::visit(MetricName{}, metric);
}

}  // namespace

std::vector<MetricProposal> propose_replicas(const DecisionInput& input) {
  const std::vector<controller::ScalingMetric>& metrics = input.policy->metrics;
  std::vector<MetricProposal> proposals;
  proposals.reserve(metrics.size());
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    if (i >= input.samples.size()) {
      proposals.push_back(invalid(metric_name(metrics[i]), "no sample was taken"));
    } else if (const auto* failed = std::get_if<InvalidSample>(&input.samples[i])) {
      proposals.push_back(invalid(metric_name(metrics[i]), failed->reason));
    } else {
      proposals.push_back(std::visit(Proposer(input, input.samples[i]), metrics[i]));
    }
  }
  return proposals;
}

}  // namespace portico::autoscaler
