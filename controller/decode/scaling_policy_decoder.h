#pragma once
// autoscaling.portico.io/v1alpha1 ScalingPolicy, read strictly from either tree (a manifest or
// an API object): every documented bound is checked here, whether or not the API server's
// CRD schema (manifests/crds/scalingpolicies.autoscaling.portico.io.yaml) checked it first,
// and behavior gets autoscaling/v2's defaults field by field, as the HPA's
// SetDefaults_HorizontalPodAutoscalerBehavior does. Like every reader behind the kind table,
// it leaves apiVersion and kind to its caller and ignores fields it does not know (on the API
// path the CRD's structural schema rejects or prunes those). docs/SCALING.md is the user's
// reference for the rules below. Pure; runs on the caller's thread.
#include "controller/decode/field_reader.h"
#include "controller/model/scaling_policy.h"

namespace portico::controller {

// Reads the ScalingPolicy at `root`; the first problem goes to `reader`, naming its field
// ("spec.metrics[1].queueDepth.service: is required"), and the value returned then is
// meaningless.
ScalingPolicy read_scaling_policy(FieldReader& reader, const Field& root);

}  // namespace portico::controller
