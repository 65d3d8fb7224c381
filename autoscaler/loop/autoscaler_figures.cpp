#include "autoscaler/loop/autoscaler_figures.h"

namespace portico::autoscaler {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

MetricFamily family(const std::string& name, const std::string& help, MetricType type) {
  MetricFamily result;
  result.name = name;
  result.help = help;
  result.type = type;
  return result;
}

ClientMetric sample(MetricType type, double value, std::vector<ClientMetric::Label> labels) {
  ClientMetric metric;
  metric.label = std::move(labels);
  if (type == MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  return metric;
}

}  // namespace

void AutoscalerFigures::replace(std::vector<PolicyFigures> figures) {
  std::lock_guard lock(mutex_);
  figures_ = std::move(figures);
}

std::vector<MetricFamily> AutoscalerFigures::Collect() const {
  auto desired =
      family("portico_autoscaler_desired_replicas",
             "Replicas the last decision asked for, per ScalingPolicy.", MetricType::Gauge);
  auto current = family("portico_autoscaler_current_replicas",
                        "The target's replicas (spec) at the last decision.", MetricType::Gauge);
  auto values = family("portico_autoscaler_metric_value",
                       "Each metric's value at the last decision: CPU in percent of requests, "
                       "queue depth and Prometheus per ready replica.",
                       MetricType::Gauge);
  auto events = family("portico_autoscaler_scale_events_total",
                       "Replica count changes written, by direction.", MetricType::Counter);
  std::lock_guard lock(mutex_);
  for (const PolicyFigures& policy : figures_) {
    const std::vector<ClientMetric::Label> labels = {{"namespace", policy.namespace_},
                                                     {"policy", policy.policy}};
    desired.metric.push_back(sample(MetricType::Gauge, policy.desired_replicas, labels));
    current.metric.push_back(sample(MetricType::Gauge, policy.current_replicas, labels));
    for (const auto& [metric, value] : policy.metric_values) {
      auto with_metric = labels;
      with_metric.push_back({"metric", metric});
      values.metric.push_back(sample(MetricType::Gauge, value, with_metric));
    }
    for (const auto& [direction, count] :
         {std::pair{"up", policy.scale_ups}, std::pair{"down", policy.scale_downs}}) {
      auto with_direction = labels;
      with_direction.push_back({"direction", direction});
      events.metric.push_back(
          sample(MetricType::Counter, static_cast<double>(count), with_direction));
    }
  }
  return {std::move(desired), std::move(current), std::move(values), std::move(events)};
}

std::vector<std::pair<std::string, double>> metric_values_of(
    const std::vector<MetricProposal>& proposals) {
  std::map<std::string, int> kinds;
  for (const MetricProposal& proposal : proposals) ++kinds[proposal.metric];
  std::vector<std::pair<std::string, double>> values;
  for (std::size_t i = 0; i < proposals.size(); ++i) {
    const MetricProposal& proposal = proposals[i];
    if (!proposal.value) continue;
    values.emplace_back(kinds[proposal.metric] > 1 ? proposal.metric + "[" + std::to_string(i) + "]"
                                                   : proposal.metric,
                        *proposal.value);
  }
  return values;
}

}  // namespace portico::autoscaler
