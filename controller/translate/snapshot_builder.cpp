#include "controller/translate/snapshot_builder.h"

#include <algorithm>
#include <tuple>

#include "controller/annotations/balancing_annotations.h"
#include "controller/annotations/retry_annotations.h"
#include "controller/translate/backend_resolver.h"
#include "controller/translate/ingress_class_filter.h"

namespace portico::controller {
namespace {

bool annotation_is_true(const Ingress& ingress, const char* name) {
  auto it = ingress.meta.annotations.find(name);
  return it != ingress.meta.annotations.end() && it->second == "true";
}

proxy::PathType route_path_type(const Ingress& ingress, IngressPathType type) {
  switch (type) {
    case IngressPathType::kExact:
      return proxy::PathType::kExact;
    case IngressPathType::kPrefix:
      return proxy::PathType::kPrefix;
    case IngressPathType::kImplementationSpecific:
      return annotation_is_true(ingress, kUseRegexAnnotation) ||
                     annotation_is_true(ingress, kNginxUseRegexAnnotation)
                 ? proxy::PathType::kRegex
                 : proxy::PathType::kPrefix;
  }
  return proxy::PathType::kPrefix;
}

std::vector<const Ingress*> our_ingresses_oldest_first(const StoreContents& contents,
                                                       const TranslateOptions& options) {
  std::vector<const Ingress*> ours;
  for (const auto& [key, ingress] : contents.ingresses) {
    if (is_our_ingress(*ingress, contents.ingress_classes, options)) ours.push_back(ingress.get());
  }
  // An unset creation time (hand-written manifests) sorts first: std::nullopt < any time.
  std::sort(ours.begin(), ours.end(), [](const Ingress* a, const Ingress* b) {
    return std::tie(a->meta.creation_timestamp, a->meta.namespace_, a->meta.name) <
           std::tie(b->meta.creation_timestamp, b->meta.namespace_, b->meta.name);
  });
  return ours;
}

}  // namespace

Translation build_snapshot(const StoreContents& contents, const TranslateOptions& options,
                           uint64_t generation, proxy::EndpointStateRegistry& registry) {
  WarningList warnings;
  BackendResolver resolver(contents, registry, warnings);
  proxy::RouteTable::Builder routes;
  auto snapshot = std::make_shared<proxy::RouteSnapshot>();
  snapshot->generation = generation;

  for (const Ingress* ingress : our_ingresses_oldest_first(contents, options)) {
    const std::string key = ingress->meta.key();
    const std::string& namespace_ = ingress->meta.namespace_;
    const annotations::AnnotatedPolicy balancing =
        annotations::balancing_policy_from(ingress->meta.annotations, options.default_policy);
    annotations::Annotated<proxy::RetryPolicy> retry =
        annotations::retry_policy_from(ingress->meta.annotations);
    for (const std::string& problem : balancing.problems) warnings.add("Ingress", key, problem);
    for (const std::string& problem : retry.problems) warnings.add("Ingress", key, problem);
    const IngressPolicy policy{balancing.policy, std::move(retry.value)};
    auto target_for = [&](const IngressBackend& backend) {
      return std::make_shared<const proxy::RouteTarget>(
          proxy::RouteTarget{key, namespace_, resolver.resolve(namespace_, backend, key, policy)});
    };

    for (const IngressRule& rule : ingress->rules) {
      for (const IngressPath& path : rule.paths) {
        proxy::PathRule route{route_path_type(*ingress, path.path_type),
                              path.path.empty() ? "/" : path.path, target_for(path.backend)};
        std::string why;
        if (!routes.add(rule.host, route, &why)) {
          warnings.add(
              "Ingress", key,
              "rule host \"" + rule.host + "\" path \"" + route.path + "\" not added: " + why);
        }
      }
    }

    if (ingress->default_backend) {
      if (!snapshot->default_target) {
        snapshot->default_target = target_for(*ingress->default_backend);
      } else {
        warnings.add("Ingress", key,
                     "spec.defaultBackend ignored: " + snapshot->default_target->ingress +
                         " is older and has one");
      }
    }
  }

  snapshot->routes = std::move(routes).build();
  snapshot->backends = resolver.backends();
  return Translation{std::move(snapshot), std::move(warnings).take()};
}

}  // namespace portico::controller
