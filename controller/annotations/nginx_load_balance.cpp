#include "controller/annotations/nginx_load_balance.h"

namespace portico::controller::annotations {

Parsed<proxy::Algorithm> parse_nginx_load_balance(const Annotations& annotations) {
  const std::optional<std::string_view> text =
      find_annotation(annotations, kNginxLoadBalanceAnnotation);
  if (!text) return Parsed<proxy::Algorithm>::absent();
  if (*text == "round_robin") return Parsed<proxy::Algorithm>::of(proxy::Algorithm::kRoundRobin);
  if (*text == "ewma") return Parsed<proxy::Algorithm>::of(proxy::Algorithm::kLeastResponseTime);
  return Parsed<proxy::Algorithm>::ignored(
      kNginxLoadBalanceAnnotation, *text,
      "Portico maps only round_robin and ewma (use portico.io/load-balance)");
}

}  // namespace portico::controller::annotations
