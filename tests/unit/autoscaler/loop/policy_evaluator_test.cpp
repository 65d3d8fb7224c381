// One evaluation with scripted metrics and a scripted scale subresource: the write happens
// only on a change, its outcome lands in the status and the history, and failures to read or
// write the scale become AbleToScale=False with the reason.
#include "autoscaler/loop/policy_evaluator.h"

#include <gtest/gtest.h>

#include "tests/unit/autoscaler/decision/decision_test_support.h"

namespace portico::autoscaler {
namespace {

using testing::at;
using testing::hpa_default_behavior;

class ScriptedMetrics final : public MetricReader {
 public:
  MetricSample read(const controller::ScalingPolicy&, const controller::ScalingMetric&,
                    const Scale&) override {
    return sample;
  }
  std::optional<int32_t> ready_replicas(const controller::ScalingPolicy&) override { return ready; }
  MetricSample sample = TotalSample{0};
  std::optional<int32_t> ready;
};

class ScriptedScale final : public ScaleClient {
 public:
  Result<Scale> read(const ScaleTarget&) override {
    if (!read_error.empty()) return Error{read_error};
    return scale;
  }
  Result<WriteResult> write(const ScaleTarget&, const Scale&, int32_t replicas) override {
    ++writes;
    if (!write_error.empty()) return Error{write_error};
    scale.spec_replicas = replicas;
    return WriteResult::kWritten;
  }
  Scale scale{2, 2, "app=web", "7"};
  std::string read_error;
  std::string write_error;
  int writes = 0;
};

controller::ScalingPolicy queue_policy() {
  controller::ScalingPolicy policy;
  policy.meta.namespace_ = "shop";
  policy.meta.name = "web";
  policy.target_name = "web";
  policy.min_replicas = 1;
  policy.max_replicas = 20;
  policy.metrics = {controller::QueueDepthMetric{"web", 10.0, std::nullopt}};
  policy.behavior = hpa_default_behavior();
  return policy;
}

const Condition* find_condition(const PolicyState& state, const std::string& type) {
  for (const TrackedCondition& tracked : state.status.conditions) {
    if (tracked.condition.type == type) return &tracked.condition;
  }
  return nullptr;
}

class PolicyEvaluatorTest : public ::testing::Test {
 protected:
  Evaluation evaluate(double seconds) {
    return evaluate_policy(policy_, state_, metrics_, scale_, at(seconds),
                           WallTime{} + std::chrono::hours(1));
  }
  controller::ScalingPolicy policy_ = queue_policy();
  PolicyState state_;
  ScriptedMetrics metrics_;
  ScriptedScale scale_;
};

TEST_F(PolicyEvaluatorTest, WritesTheDecidedCountAndRecordsItInStatusAndHistory) {
  state_.last_request = at(0);
  metrics_.sample = TotalSample{57};  // 57 in flight over 2 ready replicas, 10 per replica
  const Evaluation evaluation = evaluate(1);
  EXPECT_TRUE(evaluation.scaled);
  EXPECT_EQ(evaluation.from, 2);
  EXPECT_EQ(evaluation.to, 6);
  EXPECT_EQ(scale_.writes, 1);
  EXPECT_EQ(scale_.scale.spec_replicas, 6);
  EXPECT_NE(evaluation.reason.find("queue depth"), std::string::npos) << evaluation.reason;
  EXPECT_EQ(state_.status.current_replicas, 6);
  EXPECT_EQ(state_.status.desired_replicas, 6);
  EXPECT_TRUE(state_.status.last_scale_time);
  ASSERT_EQ(state_.history.scale_ups.size(), 1u);
  EXPECT_EQ(state_.history.scale_ups.front().change, 4);
}

TEST_F(PolicyEvaluatorTest, NoChangeMeansNoWrite) {
  state_.last_request = at(0);
  metrics_.sample = TotalSample{20};  // exactly on target at 2 replicas
  const Evaluation evaluation = evaluate(1);
  EXPECT_FALSE(evaluation.scaled);
  EXPECT_EQ(scale_.writes, 0);
  EXPECT_EQ(state_.status.desired_replicas, 2);
}

TEST_F(PolicyEvaluatorTest, ReadyReplicasFromTheReaderDivideTheQueue) {
  state_.last_request = at(0);
  metrics_.sample = TotalSample{40};
  metrics_.ready = 1;  // 2 pods exist, 1 is ready: 40 per ready replica against 10
  EXPECT_EQ(evaluate(1).to, 4);
}

TEST_F(PolicyEvaluatorTest, AScaleThatCannotBeReadIsAConditionNotAWrite) {
  scale_.read_error = "503 Service Unavailable";
  const Evaluation evaluation = evaluate(1);
  EXPECT_FALSE(evaluation.scaled);
  EXPECT_NE(evaluation.failure.find("503"), std::string::npos) << evaluation.failure;
  const Condition* able = find_condition(state_, "AbleToScale");
  ASSERT_NE(able, nullptr);
  EXPECT_FALSE(able->status);
  EXPECT_EQ(able->reason, "FailedGetScale");
  EXPECT_EQ(scale_.writes, 0);
}

TEST_F(PolicyEvaluatorTest, AFailedWriteIsNotRememberedAsAScaleEvent) {
  state_.last_request = at(0);
  metrics_.sample = TotalSample{57};
  scale_.write_error = "forbidden";
  const Evaluation evaluation = evaluate(1);
  EXPECT_FALSE(evaluation.scaled);
  EXPECT_TRUE(state_.history.scale_ups.empty()) << "rate limits count only real changes";
  EXPECT_EQ(find_condition(state_, "AbleToScale")->reason, "FailedUpdateScale");
  EXPECT_FALSE(state_.status.last_scale_time);
}

TEST_F(PolicyEvaluatorTest, AnExternalBacklogCountsAsActivityForScaleToZero) {
  controller::PrometheusMetric backlog;
  backlog.target_per_replica = 10;
  policy_.metrics = {backlog};
  policy_.min_replicas = 0;
  state_.last_active = at(0);
  metrics_.sample = TotalSample{5};
  evaluate(1000);
  EXPECT_EQ(state_.last_active, at(1000));
  EXPECT_EQ(scale_.scale.spec_replicas, 2) << "idle for 1000 s, but work is waiting";
  metrics_.sample = TotalSample{0};
  evaluate(1001);
  EXPECT_EQ(scale_.scale.spec_replicas, 2) << "1 s since the backlog went";
  evaluate(1300);
  EXPECT_EQ(scale_.scale.spec_replicas, 0);
}

}  // namespace
}  // namespace portico::autoscaler
