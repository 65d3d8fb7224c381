// What the autoscaler exports: one series per policy and metric, never two with one label set.
#include "autoscaler/loop/autoscaler_figures.h"

#include <prometheus/text_serializer.h>

#include <gtest/gtest.h>

namespace portico::autoscaler {
namespace {

MetricProposal proposal(const std::string& metric, std::optional<double> value) {
  return MetricProposal{metric, value, std::nullopt, ""};
}

TEST(AutoscalerFigures, SeveralMetricsOfOneKindAreToldApartByTheirPosition) {
  EXPECT_EQ(metric_values_of({proposal("cpu", 80), proposal("queueDepth", 4.5)}),
            (std::vector<std::pair<std::string, double>>{{"cpu", 80}, {"queueDepth", 4.5}}));
  EXPECT_EQ(
      metric_values_of(
          {proposal("queueDepth", 3), proposal("cpu", std::nullopt), proposal("queueDepth", 7)}),
      (std::vector<std::pair<std::string, double>>{{"queueDepth[0]", 3}, {"queueDepth[2]", 7}}));
}

TEST(AutoscalerFigures, ExportsEachPolicysFigures) {
  AutoscalerFigures figures;
  figures.replace({PolicyFigures{
      "shop", "web", 4, 2,
      metric_values_of({proposal("prometheus", 12), proposal("prometheus", 1)}), 3, 1}});
  const std::string text = prometheus::TextSerializer().Serialize(figures.Collect());
  EXPECT_NE(text.find(R"(portico_autoscaler_desired_replicas{namespace="shop",policy="web"} 4)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(portico_autoscaler_current_replicas{namespace="shop",policy="web"} 2)"),
            std::string::npos)
      << text;
  for (
      const char* series :
      {R"(portico_autoscaler_metric_value{namespace="shop",policy="web",metric="prometheus[0]"} 12)",
       R"(portico_autoscaler_metric_value{namespace="shop",policy="web",metric="prometheus[1]"} 1)",
       R"(portico_autoscaler_scale_events_total{namespace="shop",policy="web",direction="up"} 3)",
       R"(portico_autoscaler_scale_events_total{namespace="shop",policy="web",direction="down"} 1)"}) {
    EXPECT_NE(text.find(series), std::string::npos) << series << "\n" << text;
  }
}

}  // namespace
}  // namespace portico::autoscaler
