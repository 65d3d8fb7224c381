#include "controller/decode/kind_table.h"

#include <iterator>
#include <variant>

#include "controller/decode/object_readers.h"
#include "controller/decode/scaling_policy_decoder.h"

namespace portico::controller {
namespace {

template <typename T, T (*Read)(FieldReader&, const Field&)>
Object read_as_object(FieldReader& reader, const Field& root) {
  return Object(Read(reader, root));
}

constexpr KindDecoder kDecoders[] = {
    {"Ingress", "networking.k8s.io/v1", read_as_object<Ingress, read_ingress>},
    {"IngressClass", "networking.k8s.io/v1", read_as_object<IngressClass, read_ingress_class>},
    {"Service", "v1", read_as_object<Service, read_service>},
    {"EndpointSlice", "discovery.k8s.io/v1", read_as_object<EndpointSlice, read_endpoint_slice>},
    {"Secret", "v1", read_as_object<Secret, read_secret>},
    {"Pod", "v1", read_as_object<Pod, read_pod>},
    {"ScalingPolicy", kScalingPolicyApiVersion, read_as_object<ScalingPolicy, read_scaling_policy>},
};
static_assert(std::size(kDecoders) == std::variant_size_v<Object>, "one decoder per kind");

}  // namespace

const KindDecoder* find_kind_decoder(std::string_view kind) {
  for (const KindDecoder& decoder : kDecoders) {
    if (decoder.kind == kind) return &decoder;
  }
  return nullptr;
}

}  // namespace portico::controller
